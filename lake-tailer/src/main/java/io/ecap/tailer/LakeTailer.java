package io.ecap.tailer;

import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ShadowDecisions;
import io.ecap.hotpath.state.CrashPoints;
import io.ecap.hotpath.state.FolderLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Journal → bronze, straight into Delta: reads the engine's journal (read-only, beside a live engine) and commits
 * its entries to the seven bronze tables ({@link BronzeTables}), a batch at a time, each table's commit tagged with the
 * batch's last journal index ({@link BronzeCommitter}).
 *
 * <p>Exactly once: a table skips the entries up to the index its last commit was tagged with, so a batch committed
 * to some tables and not others (a crash between two tables) is completed by the next run without a duplicate. After
 * every table has a batch, the batch's last index is noted in the mark file ({@code bronze-mark} in the state folder,
 * with the lake it is for and the tables it saw), which is only where the next run starts reading; without it (a
 * first run, a deleted folder, another lake, a table moved away) the run starts after the oldest table's last index
 * (from the start if a table does not exist yet). One tailer per state folder: the folder is locked while it runs.
 * While an erasure deletes from the lake, no batch starts ({@link #pauseFor}).
 */
public final class LakeTailer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LakeTailer.class);
    /** Called after each table's commit: lets a test stop the tailer between two tables, as a crash would. */
    interface AfterCommit {
        void committed(String table, long version);
    }

    private static final String MARK = "bronze-mark";
    private static final long PROGRESS_MS = 60_000;
    private static final long PAUSE_POLL_MS = 200;

    private final Path journalDir;
    private final String lake;
    private final Path stateDir;
    private final int maxBatch;
    private final BronzeCommitter committer;
    private final List<TableRows> tables = BronzeTables.all();
    private final long[] loaded = new long[tables.size()];
    private final FolderLock lock;
    private final AfterCommit afterCommit;
    private final TailerStats stats = new TailerStats();
    private long mark;
    private ErasurePause pause = ErasurePause.NONE;
    private Consumer<TailerStats> progress = stats -> { };
    /** When progress was last reported: the first batch is reported at once. */
    private long reported;

    LakeTailer(final Path journalDir, final String lake, final Path stateDir, final int maxBatch,
        final BronzeCommitter committer, final AfterCommit afterCommit) throws IOException {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch: expected at least 1 entry, found " + maxBatch);
        }
        if (!Files.exists(journalDir.resolve("metadata.cq4t"))) {
            throw new IllegalArgumentException("no journal in " + journalDir);
        }
        this.journalDir = journalDir;
        this.lake = lake.endsWith("/") ? lake.substring(0, lake.length() - 1) : lake;
        this.stateDir = stateDir;
        this.maxBatch = maxBatch;
        this.committer = committer;
        this.afterCommit = afterCommit;
        Files.createDirectories(stateDir);
        this.lock = FolderLock.acquire(stateDir);
    }

    /** Starts no batch while {@code pause} holds (an erasure deleting from the lake); none by default. */
    void pauseFor(final ErasurePause pause) {
        this.pause = pause;
    }

    /** Where a bronze table lives in the lake. */
    String path(final TableRows table) {
        return lake + "/bronze/" + table.table();
    }

    /** Loads every entry journaled so far that bronze does not have yet; returns how many entries it read. */
    public long catchUp() throws IOException {
        return run(() -> false, 0);
    }

    /**
     * Keeps loading: whatever is new, at most once every {@code intervalMs} (the batch interval), until
     * {@code stop} says so, calling {@code progress} after the first batch and then about once a minute. Returns the
     * entries read.
     */
    public long follow(final long intervalMs, final BooleanSupplier stop, final Consumer<TailerStats> progress)
        throws IOException {
        if (intervalMs < 1) {
            throw new IllegalArgumentException("interval: expected at least 1 ms, found " + intervalMs);
        }
        this.progress = progress;
        return run(stop, intervalMs);
    }

    private long run(final BooleanSupplier stop, final long intervalMs) throws IOException {
        final long[] total = {0};
        while (followOpened(stop, intervalMs, total)) {
            LOG.warn("the journal's newest file in {} was replaced while the tailer read it (a start of the engine "
                + "repaired its torn end after a power loss): reading the journal again after bronze's journal index "
                + "{}", journalDir, mark);
        }
        return total[0];
    }

    /**
     * Reads the journal as it is now, adding the entries read to {@code total[0]}; returns true if its newest file was
     * replaced meanwhile (a reader keeps the file it opened), to be opened again, false when done or stopped.
     */
    private boolean followOpened(final BooleanSupplier stop, final long intervalMs, final long[] total)
        throws IOException {
        start();
        final Journal.FileIdentity opened = Journal.newestFileIdentity(journalDir.toFile());
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader().hoppingGaps();
             ShadowDecisions shadows = new ShadowDecisions(journal)) {
            for (final TableRows table : tables) {
                if (table instanceof BronzeTables.Decisions decisions) {
                    decisions.shadowsFrom(shadows);
                }
            }
            if (mark > journal.lastIndex()) {
                throw new IllegalStateException(stateDir.resolve(MARK) + " says journal index 0x"
                    + Long.toHexString(mark) + " is in bronze, but the journal in " + journalDir + " ends at 0x"
                    + Long.toHexString(journal.lastIndex()) + ": another journal's lake? (Or a power loss tore the "
                    + "journal's end and the engine has not repaired it yet: start the engine first.)");
            }
            reader.after(mark);
            while (true) {
                if (waitWhilePaused(stop)) {
                    return false;
                }
                final long began = System.currentTimeMillis();
                final long read = batch(reader, shadows);
                total[0] += read;
                stats.position(mark, journal.entriesAfter(mark), System.currentTimeMillis());
                if (began - reported >= PROGRESS_MS) {
                    reported = began;
                    progress.accept(stats);
                }
                if (intervalMs == 0 && read == 0) {
                    return false;
                }
                if (read < maxBatch) {
                    if (opened != null && opened.replacedBy(Journal.newestFileIdentity(journalDir.toFile()))) {
                        return true;
                    }
                    // caught up: wait for the interval's end, or for the stop
                    while (System.currentTimeMillis() - began < intervalMs) {
                        if (stop.getAsBoolean()) {
                            return false;
                        }
                        sleep(Math.min(50, intervalMs));
                    }
                }
                if (stop.getAsBoolean()) {
                    return false;
                }
            }
        }
    }

    /**
     * Waits while an erasure holds the lake ({@link ErasurePause}), so that no commit of ours meets its DELETE;
     * returns true if {@code stop} said so meanwhile.
     */
    private boolean waitWhilePaused(final BooleanSupplier stop) throws IOException {
        while (pause.holds(System.currentTimeMillis())) {
            if (stop.getAsBoolean()) {
                return true;
            }
            sleep(PAUSE_POLL_MS);
        }
        return false;
    }

    /**
     * Where to start reading, and what each table has. The mark is trusted only for the lake it was written for, and
     * only while every table it saw is still there: a table moved away (or another lake) is loaded from the start.
     */
    private void start() throws IOException {
        long oldest = Long.MAX_VALUE;
        for (int t = 0; t < tables.size(); t++) {
            loaded[t] = committer.loadedUpTo(path(tables.get(t)));
            oldest = Math.min(oldest, loaded[t]);
        }
        mark = Math.max(oldest, 0);
        final Path file = stateDir.resolve(MARK);
        if (!Files.exists(file)) {
            return;
        }
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(1).equals(lake)) {
            return;
        }
        for (int t = 0; t < tables.size(); t++) {
            if (loaded[t] < 0 && lines.subList(2, lines.size()).contains(tables.get(t).table())) {
                return;
            }
        }
        try {
            mark = Math.max(mark, Long.parseUnsignedLong(lines.get(0).trim(), 16));
        } catch (final NumberFormatException e) {
            throw new IllegalStateException(file + ": expected a journal index in hex on its first line, found '"
                + lines.get(0) + "' (delete the file: the next run finds its place from the tables)", e);
        }
    }

    /**
     * Reads up to a batch of entries and commits them; returns how many it read. It stops in front of a transaction
     * whose challenger's decision is not journaled yet (the engine writes it right after the answer), so that its row
     * has both; the next batch starts with it.
     */
    private long batch(final JournalReader reader, final ShadowDecisions shadows) throws IOException {
        long read = 0;
        long last = 0;
        while (read < maxBatch && reader.next()) {
            if (shadows.awaiting(reader)) {
                reader.at(reader.index());
                break;
            }
            final long index = reader.index();
            final int type = reader.type();
            for (int t = 0; t < tables.size(); t++) {
                final TableRows table = tables.get(t);
                if (table.takes(type)) {
                    if (index > loaded[t]) {
                        table.add(reader);
                    }
                    break;
                }
            }
            last = index;
            read++;
        }
        if (read > 0) {
            commit(last, read);
        }
        return read;
    }

    private void commit(final long last, final long read) throws IOException {
        final long began = System.nanoTime();
        for (int t = 0; t < tables.size(); t++) {
            final TableRows table = tables.get(t);
            if (table.size() > 0) {
                stats.table(table.table(), table.size());
                committer.commit(path(table), table, last);
                loaded[t] = last;
                table.clear();
                afterCommit.committed(table.table(), last);
                CrashPoints.reached("bronze-table");
            }
        }
        writeMark(last);
        stats.batch(read, System.nanoTime() - began, System.currentTimeMillis());
    }

    /** The mark: the last index, the lake it is for, and the tables that had a commit (one a line). */
    private void writeMark(final long last) throws IOException {
        final StringBuilder text = new StringBuilder(Long.toHexString(last)).append('\n').append(lake).append('\n');
        for (int t = 0; t < tables.size(); t++) {
            if (loaded[t] >= 0) {
                text.append(tables.get(t).table()).append('\n');
            }
        }
        final Path tmp = stateDir.resolve(MARK + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        CrashPoints.reached("bronze-mark");
        Files.move(tmp, stateDir.resolve(MARK), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        mark = last;
    }

    /** The last journal index every table has (0: none yet). */
    public long mark() {
        return mark;
    }

    public TailerStats stats() {
        return stats;
    }

    private static void sleep(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}

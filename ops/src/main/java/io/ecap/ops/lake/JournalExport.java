package io.ecap.ops.lake;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ShadowDecisions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The engine's side of journal → lake: copies new journal entries, as JSON lines ({@link EntryJson}, features
 * included), into staged files {@code <lake>/_journal/<first>-<last>.jsonl} (journal indexes in 16 hex digits) that
 * the lake's {@code journal-to-bronze} job loads into Delta. Chronicle never meets Spark: files are the hand-over.
 *
 * <p>Each file is written under a temporary name, forced to disk and renamed, so a staged file is always whole. The
 * export resumes after the last index it staged ({@code _journal/_exported}, written after each file, or the newest
 * staged file's name if later). A file staged twice (a crash between the rename and the mark) is harmless: the
 * loader's Delta commits carry the file's last index as {@code txnVersion}, and a version already committed is
 * skipped.
 */
public final class JournalExport {
    private static final Pattern STAGED = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.jsonl");
    private static final String MARK = "_exported";

    private final Path journalDir;
    private final Path staging;
    private final int entriesPerFile;
    private final EntryJson json = new EntryJson();

    public JournalExport(final Path journalDir, final Path lake, final int entriesPerFile) {
        if (entriesPerFile < 1) {
            throw new IllegalArgumentException("entries per file: expected at least 1, found " + entriesPerFile);
        }
        this.journalDir = journalDir;
        this.staging = lake.resolve("_journal");
        this.entriesPerFile = entriesPerFile;
    }

    /** The staging folder the lake job reads. */
    public Path staging() {
        return staging;
    }

    /** The last journal index staged so far (0: none). */
    public long exported() throws IOException {
        long last = 0;
        final Path mark = staging.resolve(MARK);
        if (Files.exists(mark)) {
            last = Long.parseUnsignedLong(Files.readString(mark, StandardCharsets.US_ASCII).trim(), 16);
        }
        if (Files.isDirectory(staging)) {
            try (Stream<Path> files = Files.list(staging)) {
                for (final Path f : (Iterable<Path>) files::iterator) {
                    final Matcher m = STAGED.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        last = Math.max(last, Long.parseUnsignedLong(m.group(2), 16));
                    }
                }
            }
        }
        return last;
    }

    /** Stages every entry journaled after the last export; returns how many entries it staged. */
    public long exportNew() throws IOException {
        Files.createDirectories(staging);
        final long after = exported();
        long total = 0;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader().hoppingGaps();
             ShadowDecisions shadows = new ShadowDecisions(journal)) {
            if (after > journal.lastIndex()) {
                throw new IllegalStateException(staging + " says journal index " + Long.toHexString(after)
                    + " was exported, but the journal in " + journalDir + " ends at "
                    + Long.toHexString(journal.lastIndex()) + ": another journal's lake?");
            }
            if (after != 0) {
                reader.after(after);
            }
            while (true) {
                final long staged = stageOneFile(reader, shadows);
                if (staged == 0) {
                    return total;
                }
                total += staged;
            }
        }
    }

    /**
     * Stages up to a file's worth of entries; stops in front of a transaction whose challenger's decision is not
     * journaled yet (the engine writes it right after the answer), which the next export starts with. The
     * challenger's decision goes on its transaction's line, not on one of its own.
     */
    private long stageOneFile(final JournalReader reader, final ShadowDecisions shadows) throws IOException {
        final Path tmp = staging.resolve(".staging.tmp");
        long count = 0;
        long first = 0;
        long last = 0;
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (count < entriesPerFile && reader.next()) {
                if (shadows.awaiting(reader)) {
                    reader.at(reader.index());
                    break;
                }
                if (reader.type() == EntryType.SHADOW_DECISION) {
                    last = count == 0 ? last : reader.index(); // on its transaction's line, as "shadow"
                    continue;
                }
                if (count == 0) {
                    first = reader.index();
                }
                last = reader.index();
                final var line = json.write(reader, true, shadows);
                out.write(line.buffer().byteArray(), 0, line.length());
                out.write('\n');
                count++;
            }
        }
        if (count == 0) {
            Files.deleteIfExists(tmp);
            return 0;
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, staging.resolve(String.format(Locale.ROOT, "%016x-%016x.jsonl", first, last)),
            StandardCopyOption.ATOMIC_MOVE);
        final Path markTmp = staging.resolve(".mark.tmp");
        Files.writeString(markTmp, Long.toHexString(last), StandardCharsets.US_ASCII);
        Files.move(markTmp, staging.resolve(MARK), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        return count;
    }
}

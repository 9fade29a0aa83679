package io.ecap.tailer;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.sim.Simulation;
import io.ecap.hotpath.state.CrashPoints;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The lake tailer in the engine's deterministic simulation ({@link Simulation}): between two of the engine's
 * commands, now and then, a tailer process starts, loads what the journal has into bronze in batches of a size the
 * seed picks, and dies at one of its crash points where the seed says so ({@code bronze-files}: a table's Parquet
 * files written, not committed; {@code bronze-table}: one table committed, the next not; {@code bronze-mark}: the new
 * mark written, not yet in its place), or stops once it has caught up. Meanwhile the engine crashes, loses power and
 * fails journal writes as in {@code ecap simulate}, and its own checks run. At the end a last tailer catches up
 * without crashes, and every bronze table must hold exactly the journal's entries of its types, as a Delta reader
 * sees the table: none missing, none twice, none of another table, each decisions row with its entry's transaction
 * id; the mark must name the journal's last entry. The seed decides everything but the files' names and Delta's
 * commit times. Needs the JVM started with {@code -Decap.crash.at=simulation}.
 */
public final class TailerSimulation {
    /**
     * @param engine     the engine's simulation: seed, commands, its crashes and faults
     * @param crashRate  chance that a tailer's crash point, when reached, is where its process dies
     * @param roundEvery a tailer starts after one command in this many, on average
     */
    public record Settings(Simulation.Settings engine, double crashRate, int roundEvery) {
        public static Settings of(final long seed, final int steps) {
            return new Settings(Simulation.Settings.of(seed, steps), 0.03, 2_000);
        }
    }

    /**
     * @param engine   the engine's own simulation and checks
     * @param rounds   tailer processes started (the last, crash-free one included)
     * @param crashes  tailer crashes by point
     * @param commits  Delta commits the tailers made
     * @param rows     rows in bronze at the end
     * @param orphans  Parquet files the crashes left outside the tables
     * @param failures what the checks found; empty when the tailer loaded every entry exactly once
     */
    public record Result(Simulation.Result engine, int rounds, Map<String, Integer> crashes, long commits, long rows,
        int orphans, List<String> failures, long elapsedNs) {
        public boolean passed() {
            return engine.passed() && failures.isEmpty();
        }

        public int crashCount() {
            return crashes.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static final int SHOWN = 5;

    private final Settings settings;
    private final Path journal;
    private final String lake;
    private final Path state;
    private final SplittableRandom random;
    private final Engine kernel;
    private final BronzeCommitter committer;
    private final Map<String, Integer> crashes = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private boolean crashesOn;
    private int rounds;
    private long commits;

    private TailerSimulation(final Settings settings, final Path data) {
        this.settings = settings;
        this.journal = data.resolve("journal");
        this.lake = data.resolve("lake").toAbsolutePath().toString();
        this.state = data.resolve("lake-tailer");
        this.random = new SplittableRandom(settings.engine().seed() ^ 0x7A11E55L);
        final Configuration hadoop = new Configuration();
        hadoop.set("parquet.enable.dictionary", "false");
        this.kernel = DefaultEngine.create(hadoop);
        this.committer = new BronzeCommitter(kernel);
    }

    /** Runs one simulation in {@code data} (a new, empty folder). */
    public static Result run(final Settings settings, final Path data) throws IOException {
        if (settings.roundEvery() < 1) {
            throw new IllegalArgumentException("roundEvery: expected at least 1, found " + settings.roundEvery());
        }
        final long start = System.nanoTime();
        final TailerSimulation sim = new TailerSimulation(settings, data);
        final Simulation.Result engine = Simulation.run(settings.engine(), data, sim::between);
        final List<String> failures = sim.failures;
        long rows = 0;
        int orphans = 0;
        if (engine.passed() && failures.isEmpty()) {
            sim.round(sim.batchSize(), false);
        }
        if (engine.passed() && failures.isEmpty()) {
            rows = check(sim.kernel, data, failures);
            for (final TableRows table : BronzeTables.all()) {
                orphans += BronzeContents.orphanFiles(sim.kernel, bronze(data, table.table()));
            }
        }
        return new Result(engine, sim.rounds, sim.crashes, sim.commits, rows, orphans, List.copyOf(failures),
            System.nanoTime() - start);
    }

    private void between(final int step) throws IOException {
        if (failures.isEmpty() && random.nextInt(settings.roundEvery()) == 0) {
            round(batchSize(), true);
        }
    }

    /** Mostly batches of up to a few thousand entries; now and then tiny ones, or large ones written in parts. */
    private int batchSize() {
        final int kind = random.nextInt(20);
        return kind == 0 ? 1 + random.nextInt(20) : kind == 1 ? BronzeCommitter.SPLIT_ROWS + random.nextInt(20_000)
            : 1 + random.nextInt(3_000);
    }

    /** One tailer process: catches up, or dies at a crash point (everything it held is let go, as by a kill). */
    private void round(final int batch, final boolean withCrashes) throws IOException {
        rounds++;
        final CrashPoints.Plan engines = CrashPoints.simulate(this::crashAt);
        crashesOn = withCrashes;
        try (LakeTailer tailer = new LakeTailer(journal, lake, state, batch, committer,
            (table, version) -> commits++)) {
            tailer.catchUp();
        } catch (final CrashPoints.Crash c) {
            crashes.merge(c.point(), 1, Integer::sum);
        } catch (final IOException | RuntimeException e) {
            failures.add("tailer run " + rounds + " (batches of " + batch + ") failed: " + e.getMessage());
        } finally {
            crashesOn = false;
            CrashPoints.simulate(engines);
        }
    }

    private boolean crashAt(final String point) {
        return crashesOn && random.nextDouble() < settings.crashRate();
    }

    /** A bronze table of the simulation's lake, in {@code data/lake}. */
    private static String bronze(final Path data, final String table) {
        return data.resolve("lake").toAbsolutePath() + "/bronze/" + table;
    }

    /**
     * Compares the bronze tables of the lake in {@code data/lake} with the journal in {@code data/journal}; adds what
     * differs to {@code failures}; returns the rows bronze holds.
     */
    static long check(final Engine kernel, final Path data, final List<String> failures) throws IOException {
        final List<TableRows> tables = BronzeTables.all();
        final Map<String, Map<Long, String>> expected = new HashMap<>();
        for (final TableRows table : tables) {
            expected.put(table.table(), new HashMap<>());
        }
        final long last = expectedRows(data.resolve("journal"), tables, expected);
        long rows = 0;
        for (final TableRows table : tables) {
            final boolean decisions = table instanceof BronzeTables.Decisions;
            final List<BronzeContents.LoadedRow> loaded = BronzeContents.rows(kernel, bronze(data, table.table()),
                decisions);
            rows += loaded.size();
            compare(table.table(), expected.get(table.table()), loaded, decisions, failures);
        }
        final Path mark = data.resolve("lake-tailer").resolve("bronze-mark");
        final String first = Files.exists(mark) ? Files.readAllLines(mark, StandardCharsets.UTF_8).get(0).trim() : "";
        if (!first.equals(Long.toHexString(last))) {
            failures.add("the mark says " + (first.isEmpty() ? "nothing" : first) + ", the journal ends at "
                + Long.toHexString(last));
        }
        return rows;
    }

    /** Every journal entry a table takes, by table: index and (scored entries) transaction id. */
    private static long expectedRows(final Path journal, final List<TableRows> tables,
        final Map<String, Map<Long, String>> expected) {
        final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        long last = 0;
        try (Journal j = Journal.openReadOnly(journal.toFile()); JournalReader reader = j.reader().hoppingGaps()) {
            reader.after(0);
            while (reader.next()) {
                last = reader.index();
                final int type = reader.type();
                for (final TableRows table : tables) {
                    if (table.takes(type)) {
                        String txnId = "";
                        if (type == EntryType.SCORED) {
                            scored.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                            txnId = txn.string(TransactionFlyweight.TXN_ID);
                        }
                        expected.get(table.table()).put(reader.index(), txnId);
                        break;
                    }
                }
            }
        }
        return last;
    }

    private static void compare(final String table, final Map<Long, String> expected,
        final List<BronzeContents.LoadedRow> loaded, final boolean decisions, final List<String> failures) {
        final Map<Long, Integer> seen = new HashMap<>();
        final List<String> unexpected = new ArrayList<>();
        final List<String> twice = new ArrayList<>();
        final List<String> changed = new ArrayList<>();
        for (final BronzeContents.LoadedRow row : loaded) {
            final String index = Long.toHexString(row.journalIndex());
            final String txnId = expected.get(row.journalIndex());
            if (txnId == null) {
                unexpected.add(index);
            } else if (seen.merge(row.journalIndex(), 1, Integer::sum) == 2) {
                twice.add(index);
            } else if (decisions && !txnId.equals(row.txnId())) {
                changed.add(index + " (" + row.txnId() + " instead of " + txnId + ")");
            }
        }
        final List<String> missing = new ArrayList<>();
        for (final Long index : new java.util.TreeSet<>(expected.keySet())) {
            if (!seen.containsKey(index)) {
                missing.add(Long.toHexString(index));
            }
        }
        report(failures, table, "journal entries missing", missing);
        report(failures, table, "journal entries loaded twice", twice);
        report(failures, table, "rows of no journal entry this table takes", unexpected);
        report(failures, table, "rows with another transaction's id", changed);
    }

    private static void report(final List<String> failures, final String table, final String what,
        final List<String> which) {
        if (!which.isEmpty()) {
            failures.add("bronze/" + table + ": " + which.size() + " " + what + ", first "
                + String.join(", ", which.subList(0, Math.min(SHOWN, which.size()))));
        }
    }
}

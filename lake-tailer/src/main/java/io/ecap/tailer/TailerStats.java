package io.ecap.tailer;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What the tailer has loaded since it started (entries read, rows per table, batches and their commit time) and where
 * it stands against the journal. Written by the tailer's thread, read by anyone (the metrics endpoint).
 */
public final class TailerStats {
    private final Map<String, Long> rows = new ConcurrentSkipListMap<>();
    private volatile long entries;
    private volatile long batches;
    private volatile long commitNanos;
    private volatile long mark;
    private volatile long behind;
    private volatile long lastCommitMs;
    private volatile long caughtUpMs;

    void table(final String table, final long count) {
        rows.merge(table, count, Long::sum);
    }

    void batch(final long read, final long nanos, final long nowMs) {
        entries += read;
        batches++;
        commitNanos += nanos;
        lastCommitMs = nowMs;
    }

    /** Where bronze stands: the journal index it has, and how many journal entries come after it. */
    void position(final long markIndex, final long entriesBehind, final long nowMs) {
        mark = markIndex;
        behind = entriesBehind;
        if (entriesBehind == 0) {
            caughtUpMs = nowMs;
        }
    }

    /** The figures in Prometheus' text format (served by {@link MetricsServer}). */
    String prometheus() {
        final StringBuilder out = new StringBuilder();
        metric(out, "ecap_lake_tailer_entries_total", "counter", "journal entries loaded into bronze since start",
            entries);
        metric(out, "ecap_lake_tailer_batches_total", "counter", "batches committed since start", batches);
        metric(out, "ecap_lake_tailer_commit_seconds_total", "counter", "time spent committing batches",
            commitNanos / 1e9);
        out.append("# HELP ecap_lake_tailer_rows_total rows committed per bronze table since start\n")
            .append("# TYPE ecap_lake_tailer_rows_total counter\n");
        rows.forEach((table, count) -> out.append("ecap_lake_tailer_rows_total{table=\"").append(table).append("\"} ")
            .append(count).append('\n'));
        metric(out, "ecap_lake_tailer_behind_entries", "gauge", "journal entries not in bronze yet", behind);
        metric(out, "ecap_lake_tailer_journal_index", "gauge", "the last journal index every bronze table has",
            mark);
        metric(out, "ecap_lake_tailer_last_commit_timestamp_seconds", "gauge", "when the last batch was committed "
            + "(0: none since start)", lastCommitMs / 1e3);
        metric(out, "ecap_lake_tailer_caught_up_timestamp_seconds", "gauge", "when bronze last had every journal "
            + "entry (0: not since start); time() minus it is how far behind the lake is", caughtUpMs / 1e3);
        return out.toString();
    }

    private static void metric(final StringBuilder out, final String name, final String type, final String help,
        final double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(' ').append(type).append('\n')
            .append(name).append(' ').append(value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value)).append('\n');
    }

    @Override
    public String toString() {
        // entries read, those a table already had included (a lake the Spark loader fed too); rows are what was added
        return String.format(Locale.ROOT, "read %,d journal entries in %,d batches (commits %.1f s), rows added: %s",
            entries, batches, commitNanos / 1e9, rows);
    }
}

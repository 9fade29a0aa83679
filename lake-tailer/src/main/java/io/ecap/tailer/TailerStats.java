package io.ecap.tailer;

import java.util.Map;
import java.util.TreeMap;

/** What the tailer has loaded since it started: entries read, rows per table, batches and their commit time. */
public final class TailerStats {
    private final Map<String, Long> rows = new TreeMap<>();
    private long entries;
    private long batches;
    private long commitNanos;

    void table(final String table, final long count) {
        rows.merge(table, count, Long::sum);
    }

    void batch(final long read, final long nanos) {
        entries += read;
        batches++;
        commitNanos += nanos;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%,d entries in %,d batches (commits %.1f s): %s", entries, batches,
            commitNanos / 1e9, rows);
    }
}

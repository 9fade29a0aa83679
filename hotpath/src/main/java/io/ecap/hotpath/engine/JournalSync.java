package io.ecap.hotpath.engine;

/**
 * When the journal's entries are forced to the disk ({@code fsync}), which decides what an acknowledged decision
 * survives. Every policy survives the process being killed: an entry is in the operating system's page cache once it
 * is appended, before its answer is sent.
 *
 * <ul>
 *   <li>{@link Mode#NONE}: the operating system writes pages back when it chooses (on Linux within about 30 s), so
 *       a power loss or a system crash can lose the decisions of those last seconds.</li>
 *   <li>{@link Mode#INTERVAL}: a background thread forces the journal every {@code intervalMs}: a power loss loses at
 *       most the decisions of the last interval (plus the time one sync takes). Answers are not delayed.</li>
 *   <li>{@link Mode#ENTRY}: no entry is answered before it is forced: nothing acknowledged is lost. A group commit:
 *       the writer forces the journal once per batch it takes from its ring and holds the batch's answers until then
 *       (see docs/PERFORMANCE.md).</li>
 * </ul>
 *
 * @param mode       the policy
 * @param intervalMs for {@link Mode#INTERVAL}, milliseconds between syncs (1 to 60000); 0 otherwise
 */
public record JournalSync(Mode mode, long intervalMs) {
    /** Left to the operating system (the default). */
    public static final JournalSync NONE = new JournalSync(Mode.NONE, 0);
    /** Every entry before its answer. */
    public static final JournalSync ENTRY = new JournalSync(Mode.ENTRY, 0);

    public enum Mode { NONE, INTERVAL, ENTRY }

    public JournalSync {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (mode == Mode.INTERVAL ? intervalMs < 1 || intervalMs > 60_000 : intervalMs != 0) {
            throw new IllegalArgumentException("a journal sync interval is 1 to 60000 ms (interval mode only), was "
                + intervalMs);
        }
    }

    /** Forces the journal every {@code ms} milliseconds from a background thread. */
    public static JournalSync every(final long ms) {
        return new JournalSync(Mode.INTERVAL, ms);
    }

    /**
     * Reads a setting's text: {@code none}, {@code entry}, or a number of milliseconds ({@code 100}, {@code 100ms}).
     *
     * @throws IllegalArgumentException naming what is expected
     */
    public static JournalSync parse(final String text) {
        final String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("entry")) {
            return ENTRY;
        }
        final String digits = t.endsWith("ms") ? t.substring(0, t.length() - 2) : t;
        if (!digits.isEmpty() && digits.length() <= 6 && digits.chars().allMatch(Character::isDigit)) {
            final long ms = Long.parseLong(digits);
            if (ms >= 1 && ms <= 60_000) {
                return every(ms);
            }
        }
        throw new IllegalArgumentException("expected none, entry, or a sync interval of 1 to 60000 ms (100 or 100ms), "
            + "found '" + text + "'");
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case ENTRY -> "entry";
            case INTERVAL -> intervalMs + "ms";
        };
    }
}

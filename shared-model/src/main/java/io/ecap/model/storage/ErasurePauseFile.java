package io.ecap.model.storage;

/**
 * The lake's erasure pause, kept in {@value #FILE} under the lake's root: while {@code ecap lake erase} deletes rows,
 * the lake tailer starts no new batch. Delta checks a DELETE against every file appended to its table meanwhile
 * (open-source Delta's tables are all Serializable, so even a blind append conflicts), and a tailer commits about
 * once a second, which is less than a DELETE takes on a table of any size.
 *
 * <p>The file says until when it holds (a lease, in milliseconds of the epoch) and who holds it. The erasure renews
 * the lease while it runs and deletes the file when it ends; a killed erasure's pause ends with its lease. Both sides
 * read the wall clock: on two machines, their clocks must agree to within a fraction of {@link #LEASE_MS}.
 */
public final class ErasurePauseFile {
    /** Where the pause is, relative to the lake's root. */
    public static final String FILE = "_ecap/erasure-pause";
    /** How long a pause holds unless renewed. */
    public static final long LEASE_MS = 60_000;
    /** How often the erasure renews it. */
    public static final long RENEW_MS = 15_000;

    private static final String UNTIL = "until ";

    private ErasurePauseFile() {
    }

    /** The file's text: the lease's end, then who holds it (one line). */
    public static String text(final long untilMs, final String holder) {
        return UNTIL + untilMs + "\n" + holder.replace('\n', ' ') + "\n";
    }

    /**
     * The lease's end the file's text names.
     *
     * @throws IllegalArgumentException when the text is not a pause's (naming what it found)
     */
    public static long until(final String text) {
        final int end = text.indexOf('\n');
        final String first = end < 0 ? text : text.substring(0, end);
        if (!first.startsWith(UNTIL)) {
            throw new IllegalArgumentException("expected 'until <milliseconds>' on the first line, found '"
                + abbreviate(first) + "'");
        }
        try {
            return Long.parseLong(first.substring(UNTIL.length()).strip());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("expected 'until <milliseconds>' on the first line, found '"
                + abbreviate(first) + "'", e);
        }
    }

    /** Who holds the pause, as its text says ("" when it does not say). */
    public static String holder(final String text) {
        final String[] lines = text.split("\n", 3);
        return lines.length > 1 ? lines[1].strip() : "";
    }

    private static String abbreviate(final String line) {
        return line.length() > 60 ? line.substring(0, 60) + "..." : line;
    }
}

package io.ecap.hotpath.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which seeds a command of simulations runs ({@code ecap simulate}, {@code ecap lake-tailer simulate}): from the first
 * (given, or from the clock), one after another, a number of them or until some minutes have passed (at least one),
 * each in a folder of its own under the work folder.
 */
public final class SeedSchedule {
    /** The longest run {@code --minutes} takes: about 70 days (and no overflow of the deadline). */
    public static final int MAX_MINUTES = 100_000;

    private final Path work;
    private final int seeds;
    private final Double minutes;
    private final long deadline;
    private long next;
    private int run;

    /**
     * @param seed    the first seed, or null for one from the clock
     * @param seeds   how many, unless {@code minutes} is given
     * @param minutes run seeds until this many minutes have passed (null: count them)
     */
    public SeedSchedule(final Path work, final Long seed, final int seeds, final Double minutes) {
        this.work = work;
        this.seeds = seeds;
        this.minutes = minutes;
        this.deadline = minutes == null ? 0 : System.nanoTime() + (long) (minutes * 60e9);
        this.next = seed != null ? seed : System.currentTimeMillis() % 1_000_000_000L;
    }

    /** The highest first seed: the seeds after it (one a simulation, for up to {@link #MAX_MINUTES}) never wrap. */
    public static final long MAX_SEED = 1_000_000_000_000_000_000L;

    /** What is wrong with the seed and counts every simulation command takes (the option's name first), or null. */
    public static String problem(final Long seed, final int steps, final int seeds, final Double minutes) {
        if (seed != null && (seed < 0 || seed > MAX_SEED)) {
            return "--seed: expected 0 to " + MAX_SEED + ", got " + seed;
        }
        if (steps < 1) {
            return "--steps: expected 1 or more, got " + steps;
        }
        if (seeds < 1) {
            return "--seeds: expected 1 or more, got " + seeds;
        }
        if (minutes != null && !(minutes > 0 && minutes <= MAX_MINUTES)) {
            return "--minutes: expected more than 0 and at most " + MAX_MINUTES + " (about 70 days), got " + minutes;
        }
        return null;
    }

    /** What is wrong with the work folder (named {@code --work}), or null once it exists. */
    public static String workProblem(final Path work) {
        if (work.toString().isBlank()) {
            return "--work: expected a folder, got an empty name";
        }
        if (Files.isRegularFile(work)) {
            return "--work: " + work + " is a file, not a folder";
        }
        try {
            Files.createDirectories(work);
        } catch (final IOException | RuntimeException e) {
            return "--work: cannot make the folder " + work + " (" + (e instanceof java.nio.file.FileSystemException f
                && f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()) + ")";
        }
        return null;
    }

    /** Whether another seed is due: always the first, then by count or by the clock. */
    public boolean hasNext() {
        return run == 0 || (minutes != null ? System.nanoTime() - deadline < 0 : run < seeds);
    }

    /** The next seed; its folder ({@link #folder}) is empty. */
    public long next() throws IOException {
        run++;
        final long seed = next++;
        Simulation.removeFolder(folder(seed));
        return seed;
    }

    /** Where the seed's files are: removed once it passes, kept when it fails. */
    public Path folder(final long seed) {
        return work.resolve("seed-" + seed);
    }

    /** Seeds run so far. */
    public int runs() {
        return run;
    }
}

package io.ecap.lake;

import org.apache.spark.sql.SparkSession;

/**
 * The lake's jobs, by name: {@code ./ecap lake <job> [options]} runs them with {@code local[*]}; on a cluster,
 * {@code spark-submit --class io.ecap.lake.LakeMain ecap-coldpath.jar <job> [options]} runs the same code.
 */
public final class LakeMain {
    private static final String USAGE = String.join("\n",
        "usage: ecap lake <job> [options]",
        "  journal-to-bronze [--lake DIR] [--every-seconds N]",
        "      load the journal entries staged by 'ecap export-lake' into the bronze Delta tables ("
            + JournalToBronze.tables() + "), exactly once; once, or every N seconds until stopped",
        "  --lake defaults to data/lake (a folder, or an s3a:// URI with the usual Hadoop settings)");

    private LakeMain() {
    }

    public static void main(final String[] args) throws Exception {
        final int code;
        try {
            code = run(args);
        } catch (final IllegalArgumentException e) {
            System.err.println("ecap lake: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(code);
    }

    static int run(final String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return 0;
        }
        final String job = args[0];
        String lakeRoot = "data/lake";
        long everySeconds = 0;
        for (int i = 1; i < args.length; i++) {
            final String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + ": a value is missing");
            }
            final String value = args[++i];
            switch (option) {
                case "--lake" -> lakeRoot = value;
                case "--every-seconds" -> everySeconds = positive(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option + " for " + job);
            }
        }
        if (!job.equals("journal-to-bronze")) {
            throw new IllegalArgumentException("unknown job '" + job + "'");
        }
        final Lake lake = new Lake(lakeRoot);
        final SparkSession spark = Lake.session("ecap journal-to-bronze");
        try {
            final JournalToBronze loader = new JournalToBronze(spark, lake);
            do {
                final long loaded = loader.runOnce();
                if (loaded > 0 || everySeconds == 0) {
                    System.out.printf("journal-to-bronze: loaded %,d entries into %s/bronze%n", loaded, lake.root());
                }
                if (everySeconds > 0) {
                    Thread.sleep(everySeconds * 1000);
                }
            } while (everySeconds > 0);
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static long positive(final String option, final String value) {
        try {
            final long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": expected a whole number above 0, found '" + value + "'");
    }
}

package io.ecap.lake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A lake command line, read and checked before Spark starts: the job, its options ({@code --name value} or
 * {@code --name=value}), its one positional argument if it takes one, and where the data is. {@code --data DIR} names
 * the data folder (default {@code data}) and the lake is {@code DIR/lake}, unless {@code --lake} names the lake itself.
 * A local folder that must exist and does not is a usage error naming the option, as is an unknown option or a
 * missing value.
 *
 * @param help whether {@code --help} (or {@code -h}) was asked for: nothing else is checked then
 */
record LakeArgs(LakeJobs.Job job, Map<String, String> options, String positional, String data, Lake lake,
    boolean help) {

    static LakeArgs parse(final String[] args) {
        final LakeJobs.Job job = LakeJobs.named(args[0]);
        final Map<String, String> options = new HashMap<>();
        String positional = null;
        for (int i = 1; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new LakeArgs(job, Map.of(), null, null, null, true);
            }
            final int equals = arg.indexOf('=');
            final String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (!name.startsWith("-")) {
                if (job.positional() == null || positional != null) {
                    throw new IllegalArgumentException(job.name() + ": unexpected argument '" + arg + "'");
                }
                positional = arg;
            } else if (name.equals("--as-of") && job.options().contains("--timestamp")) {
                throw new IllegalArgumentException(job.name() + ": --as-of is the analysis day of the analytics jobs;"
                    + " for the table at a version or a time give --version N or --timestamp TIME");
            } else if (!job.options().contains(name) && !name.equals("--data") && !name.equals("--lake")) {
                throw new IllegalArgumentException(job.name() + ": unknown option " + name);
            } else if (options.containsKey(name)) {
                throw new IllegalArgumentException(name + ": given twice");
            } else if (LakeJobs.FLAGS.contains(name)) {
                options.put(name, "true");
            } else if (equals > 0 && name.length() < arg.length()) {
                options.put(name, arg.substring(equals + 1));
            } else if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(name + ": a value is missing");
            } else {
                options.put(name, args[++i]);
            }
        }
        if (job.positional() != null && positional == null) {
            throw new IllegalArgumentException(job.name() + ": " + job.positional() + " is missing");
        }
        final String data = options.getOrDefault("--data", "data");
        if (options.containsKey("--data") && isLocal(data) && !Files.isDirectory(Path.of(data))) {
            throw new IllegalArgumentException("--data: no folder " + data);
        }
        final Lake lake = new Lake(options.getOrDefault("--lake", data + "/lake"));
        if (job.needsLake() && isLocal(lake.root()) && !Files.isDirectory(Path.of(lake.root()))) {
            throw new IllegalArgumentException(options.containsKey("--lake") ? "--lake: no folder " + lake.root()
                : "--data: no lake at " + lake.root() + (options.containsKey("--data") ? ""
                    : " (--data DIR names the data folder, default data)"));
        }
        return new LakeArgs(job, options, positional, data, lake, false);
    }

    /** A local path rather than a URI such as {@code s3a://bucket/lake}. */
    static boolean isLocal(final String path) {
        return !path.contains("://");
    }

    boolean has(final String option) {
        return options.containsKey(option);
    }

    String get(final String option) {
        return options.get(option);
    }
}

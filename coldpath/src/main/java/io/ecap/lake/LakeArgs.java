package io.ecap.lake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lake command line, read and checked before Spark starts: the job (or several, {@code rfm,clv,churn}: run one
 * after the other in one Spark session, each taking the options it knows), its options ({@code --name value} or
 * {@code --name=value}), its one positional argument if it takes one, and where the data is. {@code --data DIR} names
 * the data folder (default {@code data}) and the lake is {@code DIR/lake}, unless {@code --lake} names the lake itself.
 * A local folder that must exist and does not is a usage error naming the option, as is an unknown option or a
 * missing value. A job whose positional argument ends in {@code ...} ({@code FILE...}) takes one or more.
 *
 * @param help whether {@code --help} (or {@code -h}) was asked for: nothing else is checked then
 */
record LakeArgs(List<LakeJobs.Job> jobs, Map<String, String> options, List<String> positionals, String data,
    Lake lake, boolean help) {

    /** Jobs that do not end on their own, or stream: they run alone. */
    private static final Set<String> ALONE = Set.of("kafka-to-bronze");

    static LakeArgs parse(final String[] args) {
        final List<LakeJobs.Job> jobs = new ArrayList<>();
        for (final String name : args[0].split(",", -1)) {
            final LakeJobs.Job job = LakeJobs.named(name);
            if (jobs.contains(job)) {
                throw new IllegalArgumentException(name + " is named twice");
            }
            jobs.add(job);
        }
        final LakeJobs.Job job = jobs.size() == 1 ? jobs.get(0) : LakeJobs.together(jobs);
        if (jobs.size() > 1) {
            for (final LakeJobs.Job one : jobs) {
                if (ALONE.contains(one.name()) || one.positional() != null) {
                    throw new IllegalArgumentException(one.name() + " runs alone, not with other jobs");
                }
            }
        }
        final Map<String, String> options = new HashMap<>();
        final List<String> positionals = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new LakeArgs(jobs, Map.of(), List.of(), null, null, true);
            }
            final int equals = arg.indexOf('=');
            final String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (!name.startsWith("-")) {
                if (job.positional() == null || !positionals.isEmpty() && !job.positional().endsWith("...")) {
                    throw new IllegalArgumentException(job.name() + ": unexpected argument '" + arg + "'");
                }
                positionals.add(arg);
            } else if (name.equals("--as-of") && job.options().contains("--timestamp")) {
                throw new IllegalArgumentException(job.name() + ": --as-of is the analysis day of the analytics jobs;"
                    + " for the table at a version or a time give --version N or --timestamp TIME");
            } else if (!job.options().contains(name) && !name.equals("--data") && !name.equals("--lake")) {
                throw new IllegalArgumentException(job.name() + ": unknown option " + name);
            } else if (options.containsKey(name)) {
                throw new IllegalArgumentException(name + ": given twice");
            } else if (LakeJobs.FLAGS.contains(name)) {
                if (equals > 0) {
                    throw new IllegalArgumentException(name + ": takes no value, found '" + arg + "'");
                }
                options.put(name, "true");
            } else if (equals > 0 && name.length() < arg.length()) {
                options.put(name, arg.substring(equals + 1));
            } else if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(name + ": a value is missing");
            } else {
                options.put(name, args[++i]);
            }
        }
        if (job.positional() != null && positionals.isEmpty()) {
            throw new IllegalArgumentException(job.name() + ": " + job.positional() + " is missing");
        }
        final String data = options.getOrDefault("--data", "data");
        if (options.containsKey("--data") && isLocal(data) && !Files.isDirectory(Path.of(data)) && job.needsLake()) {
            throw new IllegalArgumentException("--data: no folder " + data);
        }
        if (options.containsKey("--lake")) {
            io.ecap.model.storage.S3Settings.checkLake(options.get("--lake"), "--lake");
        }
        final Lake lake = new Lake(options.getOrDefault("--lake", data + "/lake"));
        if (job.needsLake() && isLocal(lake.root()) && !Files.isDirectory(Path.of(lake.root()))) {
            throw new IllegalArgumentException(options.containsKey("--lake") ? "--lake: no folder " + lake.root()
                : "--data: no lake at " + lake.root() + (options.containsKey("--data") ? " (the engine's journal "
                    + "reaches it by ecap lake-tailer --data " + data + " --once, or ecap export-lake --data " + data
                    + " then ecap lake journal-to-bronze; an order history by ecap lake import-orders)"
                    : " (--data DIR names the data folder, default data)"));
        }
        if (!isLocal(lake.root())) {
            checkFileSystem(lake.root());
        }
        if (jobs.size() > 1 && options.containsKey("--every-seconds")) {
            throw new IllegalArgumentException("--every-seconds: only for journal-to-bronze or bronze-to-silver run "
                + "alone");
        }
        return new LakeArgs(jobs, options, List.copyOf(positionals), data, lake, false);
    }

    /**
     * A lake behind a URI needs Hadoop's file system for its scheme on the classpath: {@code ./ecap lake} has the S3
     * connector ({@code s3a://}, hadoop-aws) and no other.
     */
    private static void checkFileSystem(final String root) {
        final String scheme = root.substring(0, root.indexOf("://"));
        try {
            org.apache.hadoop.fs.FileSystem.getFileSystemClass(scheme, new org.apache.hadoop.conf.Configuration());
        } catch (final java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("--lake " + root + ": no Hadoop file system for " + scheme + ":// on"
                + " this classpath (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + "); ./ecap lake works on local folders and s3a:// URIs (docs/LAKE.md)");
        }
    }

    /** A local path rather than a URI such as {@code s3a://bucket/lake}. */
    static boolean isLocal(final String path) {
        return !path.contains("://");
    }

    /** The one positional argument, or the first of several; null when none. */
    String positional() {
        return positionals.isEmpty() ? null : positionals.get(0);
    }

    boolean has(final String option) {
        return options.containsKey(option);
    }

    String get(final String option) {
        return options.get(option);
    }
}

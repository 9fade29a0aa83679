package io.ecap.lake;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lake's jobs, by name: {@code ./ecap lake <job> [options]} runs them with {@code local[*]}; on a cluster,
 * {@code spark-submit --class io.ecap.lake.LakeMain ecap-coldpath.jar <job> [options]} runs the same code. Options are
 * checked before Spark starts; a bad one stops the job with its name and the problem (exit code 2).
 */
public final class LakeMain {
    private static final String USAGE = String.join("\n",
        "usage: ecap lake <job> [--lake DIR] [options]     (--lake: default data/lake; a folder or an s3a:// URI)",
        "  all [--out FILE] [--truth FILE]",
        "      every batch job in order, from the staged journal to the report (default data/report.html);",
        "      an analysis the data cannot support yet is skipped with its reason",
        "  journal-to-bronze [--every-seconds N]",
        "      load the journal entries staged by 'ecap export-lake' into the bronze Delta tables (" + JournalToBronze
            .tables() + "), exactly once; once, or every N seconds until stopped",
        "  kafka-to-bronze --bootstrap HOST:PORT [--every-seconds N] [--dedupe-minutes M]",
        "                  [--starting earliest|latest] [--max-records N]",
        "      the warm path: Structured Streaming from the decisions, user-events, product-updates and labels topics",
        "      into bronze kafka_* tables (de-duplicated on the event id within M minutes, default 60), refreshing",
        "      gold decisions_per_minute, alerts_per_merchant_hour, amount_per_channel_hour; once or every N seconds",
        "  bronze-to-silver                                 silver transactions and labels: typed, checked, "
            + "de-duplicated;",
        "      rows that fail a check go to silver/quarantine with the reason",
        "  silver-to-gold                                   gold fraud_kpis_daily and merchant_risk_daily",
        "  optimize --table LAYER/NAME [--zorder COL,COL]   compact and Z-order (default columns per table)",
        "  vacuum --table LAYER/NAME [--retain-hours N] [--force]",
        "      delete files older versions need; below 168 hours (the safe default) only with --force",
        "  history --table LAYER/NAME [--limit N]          the table's commits, newest first",
        "  show --table LAYER/NAME [--as-of VERSION|TIME] [--limit N]",
        "      row count and first rows, now or as the table was at a version or a UTC time (2026-11-24 10:15:00)",
        "  clv [--as-of DATE] [--horizon-days N] [--unit-days N] [--margin SHARE]",
        "      customer lifetime value from silver's approved transactions: BG/NBD purchases and Gamma-Gamma spend",
        "      over the horizon (default 365 days, in weeks) into gold customer_clv and clv_models",
        "  clv-fit --cdnow FILE [--end DATE] [--unit-days N]",
        "      fit BG/NBD and Gamma-Gamma on a CDNOW-format file (default end 1997-09-30, weeks) and print them",
        "  rfm [--as-of DATE]",
        "      recency, frequency and monetary scores (quintiles, 5 best) and the 11 segments of every customer with",
        "      a purchase by then, into gold customer_segments and segment_sizes",
        "  funnels [--as-of DATE] [--funnel NAME=STEP,STEP,...]",
        "      sessions reaching each step in order, conversion and drop-off per day and channel, into gold",
        "      funnel_daily (default funnel: purchase=product_view,add_to_cart,checkout_start,purchase)",
        "  attribution [--as-of DATE] [--lookback-days 30] [--half-life-hours 168]",
        "      purchases credited to the campaign touches before them: first, last, linear, time-decay and",
        "      position-based (40/20/40), into gold attribution_daily",
        "  churn [--as-of DATE] [--horizon-days 90]",
        "      who will not buy in the horizon: logistic regression trained before a cutoff, measured on the next",
        "      window (ROC-AUC, PR-AUC), every customer scored into gold churn_scores; churn_models keeps the measures",
        "  data-quality [--as-of DATE] [--thresholds completeness=0.99,validity=0.99,uniqueness=1,",
        "               freshness-hours=24,volume-ratio=3]",
        "      completeness, validity, uniqueness, freshness and volume of the silver tables into gold data_quality;",
        "      exits 1 when a check fails its bar",
        "  report [--out FILE] [--truth FILE]",
        "      one self-contained HTML page (default data/report.html) with the charts of the gold tables: segments,",
        "      CLV, churn risk, funnel, attribution, fraud (decisions over time, catch rate per scenario with --truth,",
        "      the ground truth of generated traffic; precision and recall, reasons, scores, merchant risk), quality",
        "  lag --table LAYER/NAME [--where SQL]",
        "      from each row's event_ts to the commit that made it visible: median, p90, p99, max in seconds");

    /** Each job's options; {@code --force} is the one flag without a value. */
    private static final Map<String, Set<String>> OPTIONS = Map.ofEntries(
        Map.entry("journal-to-bronze", Set.of("--lake", "--every-seconds")),
        Map.entry("kafka-to-bronze", Set.of("--lake", "--bootstrap", "--every-seconds", "--dedupe-minutes",
            "--starting", "--max-records")),
        Map.entry("bronze-to-silver", Set.of("--lake")),
        Map.entry("silver-to-gold", Set.of("--lake")),
        Map.entry("optimize", Set.of("--lake", "--table", "--zorder")),
        Map.entry("vacuum", Set.of("--lake", "--table", "--retain-hours", "--force")),
        Map.entry("history", Set.of("--lake", "--table", "--limit")),
        Map.entry("show", Set.of("--lake", "--table", "--as-of", "--limit")),
        Map.entry("lag", Set.of("--lake", "--table", "--where")),
        Map.entry("clv", Set.of("--lake", "--as-of", "--horizon-days", "--unit-days", "--margin")),
        Map.entry("clv-fit", Set.of("--cdnow", "--end", "--unit-days")),
        Map.entry("rfm", Set.of("--lake", "--as-of")),
        Map.entry("report", Set.of("--lake", "--out", "--truth")),
        Map.entry("all", Set.of("--lake", "--out", "--truth")),
        Map.entry("data-quality", Set.of("--lake", "--as-of", "--thresholds")),
        Map.entry("churn", Set.of("--lake", "--as-of", "--horizon-days")),
        Map.entry("funnels", Set.of("--lake", "--as-of", "--funnel")),
        Map.entry("attribution", Set.of("--lake", "--as-of", "--lookback-days", "--half-life-hours")));

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
        } catch (final IllegalStateException e) {
            // the data cannot support the job (a model that does not converge, a malformed staged entry)
            System.err.println("ecap lake: " + e.getMessage());
            System.exit(1);
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
        final Map<String, String> options = parse(job, Arrays.copyOfRange(args, 1, args.length));
        final Lake lake = new Lake(options.getOrDefault("--lake", "data/lake"));
        final long everySeconds = number(options, "--every-seconds", 0, 1);
        final int limit = (int) number(options, "--limit", 20, 1);
        final long retainHours = number(options, "--retain-hours", Maintenance.SAFE_RETENTION_HOURS, 0);
        final KafkaToBronze.Options kafka = job.equals("kafka-to-bronze") ? kafkaOptions(options, everySeconds)
            : null;
        if (Set.of("optimize", "vacuum", "history", "show", "lag").contains(job) && !options.containsKey("--table")) {
            throw new IllegalArgumentException(job + ": --table is required (for example bronze/decisions)");
        }
        if (job.equals("vacuum")) {
            Maintenance.checkRetention(retainHours, options.containsKey("--force"));
        }
        final AnalyticsOptions analytics = AnalyticsOptions.JOBS.contains(job) ? AnalyticsOptions.parse(job, options)
            : null;
        final SparkSession spark = Lake.session("ecap " + job);
        try {
            final Maintenance care = new Maintenance(spark, lake);
            final String table = options.get("--table");
            switch (job) {
                case "journal-to-bronze" -> journalToBronze(spark, lake, everySeconds);
                case "kafka-to-bronze" -> {
                    new KafkaToBronze(spark, lake, kafka).run();
                    System.out.printf("kafka-to-bronze: the topics are in %s/bronze (kafka_*)%n", lake.root());
                }
                case "bronze-to-silver" -> System.out.printf("bronze-to-silver: %,d transactions in %s%n",
                    new BronzeToSilver(spark, lake).run(), lake.silver("transactions"));
                case "silver-to-gold" -> System.out.printf("silver-to-gold: %,d merchant-days in %s%n",
                    new SilverToGold(spark, lake).run(), lake.gold("fraud_kpis_daily"));
                case "optimize" -> System.out.println("optimize " + table + ": " + care.optimize(table,
                    options.containsKey("--zorder") ? List.of(options.get("--zorder").split(",")) : List.of()));
                case "vacuum" -> {
                    care.vacuum(table, retainHours, options.containsKey("--force"));
                    System.out.printf("vacuum %s: files not needed by the last %d hours of versions deleted%n", table,
                        retainHours);
                }
                case "history" -> care.history(table, limit).show(limit, false);
                case "show" -> {
                    final Dataset<Row> rows = options.containsKey("--as-of")
                        ? care.asOf(table, options.get("--as-of")) : care.current(table);
                    System.out.printf("%s%s: %,d rows%n", table, options.containsKey("--as-of") ? " as of "
                        + options.get("--as-of") : "", rows.count());
                    rows.drop("raw").show(limit, 40);
                }
                case "lag" -> {
                    final Row lag = care.lag(table, options.getOrDefault("--where", "true"));
                    System.out.printf("lag %s: %,d rows; event time -> visible: p50 %s s, p90 %s s, p99 %s s, "
                        + "max %s s%n", table, lag.getLong(0), lag.get(1), lag.get(2), lag.get(3), lag.get(4));
                }
                default -> {
                    return analytics.run(spark, lake);
                }
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static void journalToBronze(final SparkSession spark, final Lake lake, final long everySeconds)
        throws Exception {
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
    }

    private static KafkaToBronze.Options kafkaOptions(final Map<String, String> options, final long everySeconds) {
        final String bootstrap = options.get("--bootstrap");
        if (bootstrap == null || !bootstrap.matches("[^\\s,:]+:\\d+(,[^\\s,:]+:\\d+)*")) {
            throw new IllegalArgumentException("--bootstrap: expected HOST:PORT[,HOST:PORT...], found "
                + (bootstrap == null ? "nothing" : "'" + bootstrap + "'"));
        }
        final String starting = options.getOrDefault("--starting", "earliest");
        if (!starting.equals("earliest") && !starting.equals("latest")) {
            throw new IllegalArgumentException("--starting: expected earliest or latest, found '" + starting + "'");
        }
        return new KafkaToBronze.Options(bootstrap, everySeconds, number(options, "--dedupe-minutes", 60, 1),
            starting, number(options, "--max-records", 100_000, 1));
    }

    private static Map<String, String> parse(final String job, final String[] args) {
        final Set<String> allowed = OPTIONS.get(job);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown job '" + job + "' (jobs: " + String.join(", ",
                new ArrayList<>(OPTIONS.keySet())) + ")");
        }
        final Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            final String option = args[i];
            if (!allowed.contains(option)) {
                throw new IllegalArgumentException(job + ": unknown option " + option);
            }
            if (option.equals("--force")) {
                options.put(option, "true");
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + ": a value is missing");
            } else {
                options.put(option, args[++i]);
            }
        }
        return options;
    }

    static LocalDate date(final Map<String, String> options, final String name, final LocalDate otherwise) {
        final String value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": expected a date such as 2026-11-24, found '" + value + "'");
        }
    }

    static long number(final Map<String, String> options, final String name, final long otherwise,
        final long min) {
        final String value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            final long n = Long.parseLong(value);
            if (n >= min) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": expected a whole number of at least " + min + ", found '"
            + value + "'");
    }
}

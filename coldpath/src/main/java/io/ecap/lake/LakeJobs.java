package io.ecap.lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lake's jobs as the command line knows them: each job's options (besides {@code --data} and {@code --lake}, which
 * every job takes), whether it needs an existing lake, and its help. {@code ecap lake --help} lists them all;
 * {@code ecap lake <job> --help} prints one.
 */
final class LakeJobs {
    /** What every job accepts: where the data is. */
    static final String WHERE = "  --data DIR   the data folder (default data); the lake is DIR/lake\n"
        + "  --lake DIR   the lake itself, when it is elsewhere (a folder or an s3a:// URI); wins over --data";

    /** Options that take no value. */
    static final Set<String> FLAGS = Set.of("--force", "--journaled");

    /**
     * @param options the job's own options
     * @param needsLake whether the lake must already exist (jobs that read it)
     * @param positional the name of the job's one positional argument, or null when it takes none
     */
    record Job(String name, Set<String> options, boolean needsLake, String positional, String synopsis,
        String description) {

        String help() {
            return "usage: ecap lake " + name + " [--data DIR | --lake DIR]" + (synopsis.isEmpty() ? "" : " "
                + synopsis) + "\n" + description.indent(2) + WHERE;
        }
    }

    private static final Map<String, Job> JOBS = new LinkedHashMap<>();

    static {
        add("all", "--out --truth --include-outcomes --currency --rates --source", true, null,
            "[--out FILE] [--truth FILE] [--include-outcomes LIST] [--currency CODE] [--rates FILE]\n"
                + "    [--source S]",
            "every batch job in order, from the staged journal to the report (default DATA/report.html), with"
                + "\nthe newest fraud model's drift once one is trained; an analysis the data cannot support yet is"
                + "\nskipped with its reason; --rates FILE loads exchange rates first, as load-rates does");
        add("journal-to-bronze", "--every-seconds", true, null, "[--every-seconds N]",
            "load the journal entries staged by 'ecap export-lake' into the bronze Delta tables\n("
                + BronzeTable.names() + "), exactly once; once, or every N seconds");
        add("kafka-to-bronze", "--bootstrap --every-seconds --dedupe-minutes --starting --max-records", false, null,
            "--bootstrap HOST:PORT [--every-seconds N] [--dedupe-minutes M] [--starting earliest|latest] "
                + "[--max-records N]",
            "the warm path: Structured Streaming from the decisions, user-events, product-updates and labels\n"
                + "topics into bronze kafka_* tables (de-duplicated on the event id within M minutes, default 60),\n"
                + "refreshing gold decisions_per_minute, alerts_per_merchant_hour, amount_per_channel_hour");
        add("bronze-to-silver", "--every-seconds", true, null, "[--every-seconds N]",
            "silver transactions, labels, user events, sessions and daily catalogue: typed, checked,\n"
                + "de-duplicated; rows that fail a check go to silver/quarantine with the reason; once, or every\n"
                + "N seconds (one Spark session: a cycle takes only the bronze rows since the last)");
        add("silver-to-gold", "", true, null, "", "gold fraud_kpis_daily and merchant_risk_daily");
        add("import-orders", "--format --preset --map --timestamp-format --timezone --currency --returns", false,
            "FILE...", "FILE... [--format csv|jsonl|parquet] [--preset uci|shopify|woocommerce]\n"
                + "    [--map order=Col,customer=Col,ts=Col,quantity=Col,price=Col|total=Col,product=Col,country=Col,\n"
                + "    currency=Col,status=Col,cancelled_at=Col] [--timestamp-format PATTERN] [--timezone ZONE]\n"
                + "    [--currency CODE] [--returns quarantine|keep]",
            "a shop's order history (one row per order line) into silver/orders: typed, checked, MERGEd on\n"
                + "order, product and line (importing a file again changes nothing); lines that fail a check\n"
                + "(missing customer, unreadable time, bad quantity or price, unknown currency, and unless\n"
                + "--returns keep, cancelled orders and returns) go to silver/orders_quarantine with the reason;\n"
                + "rfm, clv and churn then count the orders (--source)");
        add("load-rates", "", true, "FILE", "FILE",
            "load dated exchange rates from a CSV file (header date,from,to,rate; 2011-01-04,EUR,GBP,0.8532:\n"
                + "1 EUR is 0.8532 GBP from that day until the pair's next rate) into silver/exchange_rates; a rate\n"
                + "already there for the same day and pair is replaced. rfm, clv and churn convert with them");
        add("optimize", "--table --zorder", true, null, "--table LAYER/NAME [--zorder COL,COL]",
            "compact and Z-order (default columns per table)");
        add("compact", "--table --small-files --every-seconds", true, null,
            "[--table LAYER/NAME] [--small-files 20] [--every-seconds N]",
            "compact each month holding --small-files or more files under 32 MB into few large ones (rows and\n"
                + "time travel unchanged; safe beside a live lake-tailer), in every bronze table or the one named\n"
                + "(any layer, partitioned by month); --every-seconds N: again every N seconds until Ctrl-C, the\n"
                + "lake tailer's compaction cadence");
        add("vacuum", "--table --retain-hours --force", true, null, "--table LAYER/NAME [--retain-hours N] [--force]",
            "delete files older versions need; below 168 hours (the safe default) only with --force");
        add("erase", "--customer --card --device --ip --merchant --reason --journaled --retain-hours --force", true,
            null, "--customer ID | --card ID | --device ID | --ip ADDRESS | --merchant ID | --journaled\n"
                + "    [--reason TEXT] [--retain-hours N] [--force]",
            "right to erasure in the lake: the rows of every bronze, silver and gold table that hold the id (its\n"
                + "column, or the raw entry naming it) deleted, then each table changed vacuumed; a lake tailer\n"
                + "following the lake starts no batch meanwhile\n"
                + "  --customer ID, --card ID, --device ID, --ip ADDRESS, --merchant ID: one entity\n"
                + "  --journaled: every erasure the engine journaled (ecap erase, POST /v1/admin/erasures) that\n"
                + "    bronze/erasures holds and audit/erasures does not yet, by the id's hash, with its reason\n"
                + "  --reason TEXT: why, kept in audit/erasures (at most 128 characters, one line; no card number,\n"
                + "    e-mail address or the id)\n"
                + "  --retain-hours N: versions the vacuum keeps (default 168); after that no file holds the rows\n"
                + "  --force: allow --retain-hours below 168 (0: the files go at once, time travel with them)\n"
                + "audit/erasures records each table with the id's hash, never the id (ecap lake show --table\n"
                + "audit/erasures). ecap erase does the same in the engine's state");
        add("history", "--table --limit", true, null, "--table LAYER/NAME [--limit N]",
            "the table's commits, newest first");
        add("show", "--table --version --timestamp --limit --format --columns --where", true, null,
            "--table LAYER/NAME [--version N | --timestamp TIME] [--format table|csv|json] [--columns COL,COL]\n"
                + "    [--where SQL] [--limit N]",
            "row count and first rows (default 20) as a table, CSV (a header line; nested values as JSON) or JSON\n"
                + "lines (with csv and json the count goes to standard error), now or as the table was at a version\n"
                + "or a UTC time (2026-11-24 10:15:00); --as-of is the analysis day of the analytics jobs, not this");
        add("lag", "--table --where", true, null, "--table LAYER/NAME [--where SQL]",
            "from each row's event_ts to the commit that made it visible: median, p90, p99, max in seconds");
        add("rfm", "--as-of --include-outcomes --currency --source", true, null,
            "[--as-of DATE] [--include-outcomes LIST] [--currency CODE] [--source S]",
            "recency, frequency and monetary scores (quintiles, 5 best) and the 11 segments of every customer\n"
                + "with a purchase by then, into gold customer_segments and segment_sizes");
        add("clv", "--as-of --horizon-days --unit-days --margin --include-outcomes --currency --source", true, null,
            "[--as-of DATE] [--horizon-days N] [--unit-days N] [--margin SHARE] [--include-outcomes LIST]\n"
                + "    [--currency CODE] [--source S]",
            "customer lifetime value: BG/NBD purchases and Gamma-Gamma spend over the horizon (default 365\n"
                + "days) into gold customer_clv and clv_models; --unit-days: the models' time unit (default 7:\n"
                + "weeks); --margin: the share of revenue that is margin (0 to 1), for the margin columns (empty\n"
                + "without it)");
        add("clv-fit", "--cdnow --end --unit-days", false, null, "--cdnow FILE [--end DATE] [--unit-days N]",
            "fit BG/NBD and Gamma-Gamma on a CDNOW-format file (default end 1997-09-30, weeks) and print them");
        add("churn", "--as-of --horizon-days --include-outcomes --currency --source", true, null,
            "[--as-of DATE] [--horizon-days N] [--include-outcomes LIST] [--currency CODE] [--source S]",
            "who will not buy in the horizon (default 90 days): logistic regression trained before a cutoff,\n"
                + "measured on the next window (ROC-AUC, PR-AUC), every customer scored into gold churn_scores");
        add("cohorts", "--as-of --period --include-outcomes --currency --source", true, null,
            "[--as-of DATE] [--period month|week] [--include-outcomes LIST] [--currency CODE] [--source S]",
            "acquisition cohorts: customers by the month (or week) of their first purchase, and per later period\n"
                + "how many bought again, their revenue and the revenue per customer so far, into gold "
                + "cohort_retention");
        add("revenue", "--as-of --include-outcomes --currency --source", true, null,
            "[--as-of DATE] [--include-outcomes LIST] [--currency CODE] [--source S]",
            "revenue per day, channel and country: purchases, average purchase, new and returning customers,\n"
                + "into gold revenue_daily");
        add("products", ProductsJob.OPTIONS, true, null, "[--as-of DATE] [--days 30] [--min-baskets 2]",
            "per product and category over the --days days (1 to 366, default 30) up to the as-of day (default\n"
                + "the last day a clickstream event names a product): views, add-to-carts, purchases and their\n"
                + "rates, the change against the --days days before (movers), and products bought together\n"
                + "(support, confidence, lift over orders and bought carts; a pair is kept from --min-baskets\n"
                + "baskets with both, default 2), into gold product_performance, category_performance and\n"
                + "product_pairs (window_days says the window; windows of several lengths are kept side by side)");
        add("funnels", "--as-of --funnel", true, null, "[--as-of DATE] [--funnel NAME=STEP,STEP,...]",
            "sessions reaching each step in order, conversion and drop-off per day and channel, into gold\n"
                + "funnel_daily (default funnel: purchase=product_view,add_to_cart,checkout_start,purchase)");
        add("attribution", "--as-of --lookback-days --half-life-hours --currency", true, null,
            "[--as-of DATE] [--lookback-days 30] [--half-life-hours 168] [--currency CODE]",
            "purchases credited to the campaign touches before them: first, last, linear, time-decay and\n"
                + "position-based (40/20/40), into gold attribution_daily (revenue in each purchase's currency, or\n"
                + "converted to --currency with the lake's exchange rates)");
        add("data-quality", "--as-of --thresholds", true, null, "[--as-of DATE] [--thresholds completeness=0.99,"
                + "validity=0.99,uniqueness=1,freshness-hours=24,volume-ratio=3]",
            "completeness, validity, uniqueness, freshness and volume of the silver tables into gold\n"
                + "data_quality; exits 1 when a check fails its bar");
        add("train-fraud", TrainFraudOptions.OPTIONS, true, null,
            "[--as-of DATE] [--model lr|gbt] [--maturity-days 30]\n"
                + "    [--test-percent 20] [--review-percent 1] [--decline-percents 0.5,1,2]\n"
                + "    [--fraud-weight balanced|W] [--trees 50] [--depth 4] [--champion FILE]\n"
                + "    [--promote URL [--admin-key-file FILE]]",
            "a fraud model (logistic regression or gradient-boosted trees, Spark ML) on the feature values the\n"
                + "engine used (silver transactions) and the labels known on the as-of day (default: the last day\n"
                + "with data), for transactions at least the maturity older; trained on the older part, measured\n"
                + "on the newest (ROC-AUC, PR-AUC, precision and recall at the review capacity, thresholds of the\n"
                + "decline rates); written in the engine's format to LAKE/models/fraud-lr|fraud-gbt/<as-of>.<n>.model\n"
                + "once the engine's evaluator gives Spark's probabilities, and listed in gold/fraud_models\n"
                + "(docs/TRAINING.md); --champion: the model it would replace, measured on the same held-out\n"
                + "examples, and whether the new one does at least as well (PR-AUC); --promote: the service whose\n"
                + "live model is the champion, where the new one is put live unless it does worse (admin key from\n"
                + "ECAP_ADMIN_KEY or --admin-key-file); exit code 3 when it does worse than the champion");
        add("publish", PublishJob.OPTIONS, true, null, "[--as-of DATE] [--database-url postgresql://USER@HOST:PORT/DB]",
            "copy the newest gold results (customers' segments, CLV and churn risk, their last orders, segment\n"
                + "sizes, cohorts, revenue, products) into PostgreSQL serving tables analytics_*, all replaced in one\n"
                + "transaction, for the service's /v1/analytics and /v1/customers routes; the database is\n"
                + "--database-url or " + PublishJob.URL_VARIABLE + " (the service's cases database)");
        add("push-profiles", ProfilePush.OPTIONS, true, null,
            "--to URL [--as-of DATE] [--batch 200] [--admin-key-file FILE]",
            "the feature-store loop: every customer's segment, predicted CLV, churn risk and lifetime orders\n"
                + "from the newest gold customer_segments, customer_clv and churn_scores (on or before the as-of day)\n"
                + "sent as customer profiles to the service at --to (POST /v1/admin/profiles, --batch profiles a\n"
                + "request); the engine journals them and its customer.segment, predicted_clv_usd, churn_risk and\n"
                + "lifetime_orders features read them from the next payment on (admin key from ECAP_ADMIN_KEY or\n"
                + "--admin-key-file; docs/TRAINING.md)");
        add("models", "", true, null, "",
            "the trained models of gold/fraud_models, newest first, with their areas, and which one is live and\n"
                + "which one is the challenger in the shadow (since when), as the engine's journal in bronze says");
        add("drift", DriftJob.OPTIONS, true, null, "[--as-of DATE] [--model NAME@VERSION] [--days 7] [--max-psi 0.25]",
            "how far the features a trained model reads have moved: population stability index of each against\n"
                + "the model's training window (default model: the live one, else the newest trained), over the last\n"
                + "--days days up to the as-of day, into gold feature_drift; exits 1 when one reaches --max-psi");
        add("report", "--out --truth", true, null, "[--out FILE] [--truth FILE]",
            "one self-contained HTML page (default DATA/report.html) with the charts of the gold tables; --truth:\n"
                + "the ground truth of generated traffic, for the catch rate per fraud scenario");
    }

    private LakeJobs() {
    }

    private static void add(final String name, final String options, final boolean needsLake,
        final String positional, final String synopsis, final String description) {
        JOBS.put(name, new Job(name, options.isEmpty() ? Set.of() : Set.of(options.split(" ")), needsLake,
            positional, synopsis, description));
    }

    /** The job of that name; an unknown name is a usage error listing the jobs. */
    static Job named(final String name) {
        final Job job = JOBS.get(name);
        if (job == null) {
            throw new IllegalArgumentException("unknown job '" + name + "' (jobs: " + String.join(", ",
                new ArrayList<>(JOBS.keySet())) + ")");
        }
        return job;
    }

    /** Several jobs run one after the other in one session: the options of any of them, the lake if one needs it. */
    static Job together(final List<Job> jobs) {
        final Set<String> options = new java.util.HashSet<>();
        jobs.forEach(job -> options.addAll(job.options()));
        return new Job(String.join(",", jobs.stream().map(Job::name).toList()), Set.copyOf(options),
            jobs.stream().anyMatch(Job::needsLake), null, "", "");
    }

    static String usage() {
        final List<String> lines = new ArrayList<>();
        lines.add("usage: ecap lake <job> [--data DIR | --lake DIR] [options]      ecap lake <job> --help: one job");
        lines.add("       ecap lake <job>,<job>,... [options]: the jobs one after the other in one Spark session; an");
        lines.add("       option applies to every job named that takes it (rfm,clv,churn --as-of 2026-11-30)");
        lines.add(WHERE);
        lines.add("  --include-outcomes APPROVE,REVIEW,DECLINE: the decisions whose payments count as purchases in");
        lines.add("               rfm, clv, churn, cohorts, revenue and all (default APPROVE); each job prints");
        lines.add("               what it left out and why");
        lines.add("  --currency CODE: the reporting currency (ISO 4217) of rfm, clv, churn, cohorts, revenue,");
        lines.add("               attribution and all, converted with the lake's dated exchange rates");
        lines.add("               (load-rates); default: the purchases' own, when they have one");
        lines.add("  --source transactions|orders|both: where rfm, clv, churn, cohorts, revenue and all take");
        lines.add("               purchases from: the engine's transactions, orders imported by import-orders, or");
        lines.add("               both (an order whose id is also a transaction's counts once, as the transaction);");
        lines.add("               default: what is there");
        lines.add("jobs:");
        for (final Job job : JOBS.values()) {
            lines.add("  " + job.name() + (job.synopsis().isEmpty() ? "" : " " + job.synopsis()));
            lines.add(job.description().indent(6).stripTrailing());
        }
        return String.join("\n", lines);
    }
}

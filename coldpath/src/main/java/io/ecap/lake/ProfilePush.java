package io.ecap.lake;

import io.ecap.model.ValidationException;
import io.ecap.model.field.Currencies;
import io.ecap.model.json.CustomerProfileJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ecap lake push-profiles --to URL}: the feature-store loop's lake half. Every customer of the newest gold
 * {@code customer_segments}, {@code customer_clv} and {@code churn_scores} (on or before {@code --as-of}) becomes a
 * customer profile (segment, predicted lifetime value, churn risk, lifetime orders) sent to a running service's
 * {@code POST /v1/admin/profiles} in batches; the engine journals each and its features read it from the next payment
 * on (docs/TRAINING.md). Each profile is checked here with the engine's own parser first: one the engine would refuse
 * is left out and counted, so that it cannot make a whole batch fail. The admin key comes from {@code ECAP_ADMIN_KEY}
 * or a file, never from the command line.
 */
final class ProfilePush {
    static final String OPTIONS = "--to --as-of --admin-key-file --batch";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int RETRIES = 30;
    private static final int EXAMPLES = 5;

    /** The options, checked before Spark starts. */
    record Options(String url, LocalDate asOf, String key, int batch) {
        static Options parse(final Map<String, String> options) {
            final String url = options.get("--to");
            if (url == null || !url.matches("https?://[^\\s/]+/?")) {
                throw new IllegalArgumentException("--to: expected the service's URL, http://HOST:PORT, found "
                    + (url == null ? "nothing" : "'" + url + "'"));
            }
            final long batch = LakeMain.number(options, "--batch", 200, 1);
            if (batch > 1000) {
                throw new IllegalArgumentException("--batch: at most 1000 profiles a request (the service's batch "
                    + "size), found " + batch);
            }
            return new Options(url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                AsOf.notInTheFuture(LakeMain.date(options, "--as-of", null)),
                TrainFraudOptions.adminKey(options.get("--admin-key-file"), "push-profiles"), (int) batch);
        }
    }

    /**
     * Before Spark starts: the service answers at {@code --to} and takes the key for its admin routes (a wrong URL or
     * key is told in a second, not after the gold tables are read).
     */
    static void checkService(final Options options) {
        final HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(HttpRequest
                .newBuilder(URI.create(options.url() + "/v1/admin/shadow")).header("X-API-Key", options.key())
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new IllegalArgumentException("--to: no ECAP service answers at " + options.url() + " ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("push-profiles: interrupted while reaching " + options.url());
        }
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new IllegalArgumentException("the service at " + options.url() + " refuses the admin key ("
                + answer.statusCode() + "): push-profiles needs a key with the admin scope (ECAP_ADMIN_KEY or "
                + "--admin-key-file)");
        }
        if (answer.statusCode() != 200) {
            throw new IllegalArgumentException("--to: " + options.url() + " answered " + answer.statusCode()
                + " to GET /v1/admin/shadow: is it an ECAP service, and ready?");
        }
    }

    /** What a push did. */
    record Summary(LocalDate asOf, long sent, long batches, long skipped, List<String> examples,
        List<String> missing) {
    }

    private final SparkSession spark;
    private final Lake lake;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CustomerProfileJson check = new CustomerProfileJson();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);

    ProfilePush(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    Summary run(final Options options) throws InterruptedException {
        final PublishJob gold = new PublishJob(spark, lake);
        final Map<String, LocalDate> asOf = new LinkedHashMap<>();
        for (final String table : List.of("customer_segments", "customer_clv", "churn_scores")) {
            final LocalDate day = gold.newest(table, options.asOf());
            if (day != null) {
                asOf.put(table, day);
            }
        }
        if (asOf.isEmpty()) {
            throw new IllegalArgumentException("push-profiles: no customer_segments, customer_clv or churn_scores in "
                + lake.root() + "/gold" + (options.asOf() == null ? "" : " on or before " + options.asOf())
                + ": run ecap lake rfm, clv or churn (or all) first");
        }
        final LocalDate day = asOf.values().stream().max(LocalDate::compareTo).orElseThrow();
        // the profile is as of the end of its newest day (what the lake knew then), or now if that day is today
        final long tsMs = Math.min(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1,
            System.currentTimeMillis());
        final Iterator<Row> rows = spark.sql("SELECT customer_id, segment, predicted_clv, clv_currency, "
            + "churn_probability, orders FROM (" + gold.customers(asOf) + ") WHERE customer_id IS NOT NULL")
            .toLocalIterator();
        final StringBuilder batch = new StringBuilder();
        final List<String> examples = new ArrayList<>();
        long sent = 0;
        long batches = 0;
        long skipped = 0;
        int inBatch = 0;
        while (rows.hasNext()) {
            final Row row = rows.next();
            String json;
            String problem;
            try {
                json = profile(row, tsMs);
                problem = problem(json);
            } catch (final ValidationException e) {
                json = null;
                problem = row.getString(0) + ": " + e.getMessage();
            }
            if (problem != null) {
                skipped++;
                if (examples.size() < EXAMPLES) {
                    examples.add(problem);
                }
                continue;
            }
            batch.append(inBatch == 0 ? "[" : ",").append(json);
            if (++inBatch == options.batch()) {
                send(options, batch.append(']').toString(), inBatch);
                sent += inBatch;
                batches++;
                batch.setLength(0);
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            send(options, batch.append(']').toString(), inBatch);
            sent += inBatch;
            batches++;
        }
        return new Summary(day, sent, batches, skipped, examples, missing(asOf.keySet(), options.asOf()));
    }

    /** What the profiles lack because a gold table has no day to push ({@code present}: the tables that have). */
    static List<String> missing(final java.util.Set<String> present, final LocalDate asOf) {
        final List<String> missing = new ArrayList<>();
        for (final String[] table : new String[][] {{"customer_segments", "segment", "rfm"},
            {"customer_clv", "predicted CLV and orders", "clv"}, {"churn_scores", "churn risk", "churn"}}) {
            if (!present.contains(table[0])) {
                missing.add("no " + table[1] + " (gold/" + table[0] + " has no day" + (asOf == null ? ""
                    : " on or before " + asOf) + ": ecap lake " + table[2] + ")");
            }
        }
        return missing;
    }

    static void print(final Summary summary, final Options options) {
        System.out.printf("push-profiles: %,d customer profiles of gold as of %s sent to %s in %,d batches%n",
            summary.sent(), summary.asOf(), options.url(), summary.batches());
        if (summary.skipped() > 0) {
            System.out.printf("  %,d left out: the engine would refuse them; for example:%n    %s%n", summary.skipped(),
                String.join("\n    ", summary.examples()));
        }
        for (final String absent : summary.missing()) {
            System.out.printf("  the profiles carry %s%n", absent);
        }
    }

    /** One row of the gold customers as the profile JSON of the API. */
    static String profile(final Row row, final long tsMs) {
        final StringBuilder json = new StringBuilder(160).append("{\"customerId\":").append(quoted(row.getString(0)))
            .append(",\"ts\":").append(tsMs);
        if (!row.isNullAt(1)) {
            json.append(",\"segment\":").append(quoted(row.getString(1)));
        }
        if (!row.isNullAt(2) && !row.isNullAt(3)) {
            final int currency = Currencies.numericOf(row.getString(3), "clv_currency");
            final BigDecimal clv = row.getDecimal(2).setScale(Currencies.exponentOf(currency), RoundingMode.HALF_EVEN);
            json.append(",\"clv\":\"").append(clv.max(BigDecimal.ZERO).toPlainString()).append("\",\"currency\":")
                .append(quoted(row.getString(3)));
        }
        if (!row.isNullAt(4)) {
            json.append(",\"churnRisk\":").append(Math.min(1, Math.max(0, row.getDouble(4))));
        }
        if (!row.isNullAt(5)) {
            json.append(",\"lifetimeOrders\":").append(Math.min(row.getLong(5), CustomerProfileJson.MAX_ORDERS));
        }
        return json.append('}').toString();
    }

    private static String quoted(final String text) {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < ' ') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Why the engine would refuse a profile, or null. */
    private String problem(final String json) {
        final UnsafeBuffer in = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        try {
            check.parse(in, 0, in.capacity(), scratch, 0);
            return null;
        } catch (final ValidationException e) {
            return json + ": " + e.getMessage();
        } catch (final IllegalArgumentException e) {
            return json + ": " + e.getMessage();
        }
    }

    /** Sends one batch; waits and sends it again while the service is busy (a profile sent twice is harmless). */
    private void send(final Options options, final String body, final int count) throws InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(options.url() + "/v1/admin/profiles"))
            .header("X-API-Key", options.key()).header("Content-Type", "application/json").timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        for (int attempt = 1; ; attempt++) {
            final HttpResponse<String> answer;
            try {
                answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (final IOException e) {
                throw new IllegalStateException("push-profiles: the service at " + options.url() + " went away "
                    + "part way (" + e + "); the batches sent before are taken, sending all again is harmless");
            }
            if (answer.statusCode() == 202) {
                return;
            }
            if (answer.statusCode() != 503 || attempt == RETRIES) {
                throw new IllegalStateException("push-profiles: " + request.uri() + " answered "
                    + answer.statusCode() + " to a batch of " + count + ": " + answer.body());
            }
            final long waitSeconds = answer.headers().firstValueAsLong("retry-after").orElse(1);
            Thread.sleep(Math.min(30, Math.max(1, waitSeconds)) * 1000L);
        }
    }
}

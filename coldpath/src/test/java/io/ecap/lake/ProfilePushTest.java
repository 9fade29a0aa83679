package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.lake.LakeMainTest.Outcome;
import io.ecap.testing.ChildJvm;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ecap lake push-profiles} into a real service ({@code ecap run} in a JVM of its own, the ops classpath): the
 * newest gold results become customer profiles, and the service's rules decide on them from the next payment on.
 */
class ProfilePushTest {
    private static final String RULES = "ruleset loop version 1\nthresholds review 10 decline 20\n"
        + "rule AT_RISK weight 15\n    when customer.segment == \"At Risk\"\n"
        + "rule VALUABLE weight 25\n    when customer.predicted_clv_usd > 1000 and customer.lifetime_orders >= 9\n"
        + "rule LEAVING weight 12\n    when customer.churn_risk > 0.8\n";

    @TempDir
    Path dir;

    @Test
    void pushesTheNewestGoldCustomersAsProfilesThatTheEngineScoresWith() throws Exception {
        final SparkSession spark = Lake.session("profile-push-test");
        final Lake lake = new Lake(dir.resolve("lake").toString());
        PublishTest.gold(spark, lake, "customer_segments", "customer_id STRING, segment STRING, rfm STRING, "
            + "recency_days INT, frequency BIGINT, monetary DECIMAL(28,4), currency STRING, as_of DATE",
            "('c-1', 'Lost', '111', 300, 1, 10.0, 'GBP', DATE'2026-10-31')",
            "('c-1', 'Champions', '555', 2, 9, 900.5, 'GBP', DATE'2026-11-30')",
            "('c-2', 'At Risk', '244', 60, 3, 120.0, 'GBP', DATE'2026-11-30')",
            "('c 4', 'At Risk', '244', 60, 3, 120.0, 'GBP', DATE'2026-11-30')");
        PublishTest.gold(spark, lake, "customer_clv", "customer_id STRING, orders BIGINT, revenue DECIMAL(28,4), "
            + "predicted_clv DOUBLE, probability_alive DOUBLE, expected_purchases DOUBLE, currency STRING, "
            + "as_of DATE", "('c-1', 9, 900.5, 812.2549, 0.97, 4.5, 'GBP', DATE'2026-11-30')");
        PublishTest.gold(spark, lake, "churn_scores", "customer_id STRING, churn_probability DOUBLE, "
            + "model_version STRING, as_of DATE", "('c-1', 0.05, 'churn@1', DATE'2026-11-30')",
            "('c-3', 0.81, 'churn@1', DATE'2026-11-30')");

        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final Path target = Path.of(System.getProperty("ecap.root"), "ops", "target");
        final String classPath = target.resolve("classes") + File.pathSeparator
            + Files.readString(target.resolve("classpath.txt")).trim();
        final ChildJvm service = ChildJvm.start(dir, classPath, List.of("-Xmx512m"), "io.ecap.ops.Ecap",
            List.of("run", "--data", dir.resolve("service").toString(), "--port", String.valueOf(port)));
        try {
            service.await(Pattern.compile("ECAP ready"), 120);
            final Matcher key = Pattern.compile("(ecap_[0-9a-f]{64})").matcher(service.seen());
            assertTrue(key.find(), service.seen());
            final Path keyFile = Files.writeString(dir.resolve("admin.key"), key.group(1) + "\n");
            final String url = "http://127.0.0.1:" + port;
            final HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url + "/v1/admin/rules"))
                .header("X-API-Key", key.group(1)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(RULES)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());

            final Outcome pushed = LakeMainTest.exec("push-profiles", "--lake", lake.root(), "--to", url,
                "--admin-key-file", keyFile.toString(), "--batch", "2");
            assertEquals(0, pushed.code(), pushed.err() + pushed.out());
            assertTrue(pushed.out().contains("push-profiles: 3 customer profiles of gold as of 2026-11-30 sent to "
                + url + " in 2 batches"), pushed.out());
            assertTrue(pushed.out().contains("1 left out: the engine would refuse them"), pushed.out());
            assertTrue(pushed.out().contains("\"customerId\":\"c 4\""), pushed.out());

            assertEquals("DECLINE", decision(url, key.group(1), "c-1"),
                "812.25 GBP at the reference rate is over 1,000 US dollars, after 9 orders");
            assertEquals("REVIEW", decision(url, key.group(1), "c-2"), "At Risk");
            assertEquals("REVIEW", decision(url, key.group(1), "c-3"), "a churn risk of 0.81");
            assertEquals("APPROVE", decision(url, key.group(1), "c-5"), "no profile");

            final Outcome notUrl = LakeMainTest.exec("push-profiles", "--lake", lake.root(), "--to", "ftp://x",
                "--admin-key-file", keyFile.toString());
            assertEquals(2, notUrl.code());
            assertTrue(notUrl.err().contains("--to: expected the service's URL"), notUrl.err());
            final int nobody;
            try (ServerSocket socket = new ServerSocket(0)) {
                nobody = socket.getLocalPort();
            }
            final Outcome noService = LakeMainTest.exec("push-profiles", "--lake", lake.root(), "--to",
                "http://127.0.0.1:" + nobody, "--admin-key-file", keyFile.toString());
            assertEquals(2, noService.code());
            assertTrue(noService.err().contains("--to: no ECAP service answers at http://127.0.0.1:" + nobody),
                noService.err());
            final Path wrongKey = Files.writeString(dir.resolve("wrong.key"), "ecap_" + "0".repeat(64) + "\n");
            final Outcome refused = LakeMainTest.exec("push-profiles", "--lake", lake.root(), "--to", url,
                "--admin-key-file", wrongKey.toString());
            assertEquals(2, refused.code());
            assertTrue(refused.err().contains("refuses the admin key (401)"), refused.err());
        } finally {
            service.terminate();
        }
    }

    /**
     * The decision for a payment of {@code customer}, sent on a connection of its own: the service closes a connection
     * idle for its read timeout (5 s), and the push before takes longer, so a kept connection could be closed just as
     * this request goes out on it (docs/OPERATIONS.md, "Slow and vanishing clients").
     */
    private static String decision(final String url, final String key, final String customer) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final String body = "{\"txnId\":\"t-" + customer + "\",\"ts\":" + System.currentTimeMillis()
            + ",\"customerId\":\"" + customer + "\",\"cardId\":\"k-" + customer + "\",\"merchantId\":\"m-1\","
            + "\"amount\":\"20.00\",\"currency\":\"USD\"}";
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/score"))
            .header("X-API-Key", key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        final Matcher decision = Pattern.compile("\"decision\":\"([A-Z]+)\"").matcher(answer.body());
        assertTrue(decision.find(), answer.body());
        return decision.group(1);
    }

    @Test
    void saysWhatTheProfilesLackWhenAGoldTableHasNoDay() {
        assertEquals(List.of("no churn risk (gold/churn_scores has no day on or before 2026-11-30: ecap lake churn)"),
            ProfilePush.missing(java.util.Set.of("customer_segments", "customer_clv"),
                java.time.LocalDate.parse("2026-11-30")));
        assertEquals(List.of(), ProfilePush.missing(java.util.Set.of("customer_segments", "customer_clv",
            "churn_scores"), null));
    }
}

package io.ecap.gateway.lists;

import static io.ecap.gateway.cases.CaseWriterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live figures in a real Redis, counted from a real engine's journal, read through a real gateway. */
class LiveFiguresTest {
    @TempDir
    Path dir;

    /** Decisions per outcome summed over the minutes of a /v1/live answer: APPROVE, REVIEW, DECLINE. */
    private static long[] outcomes(final JsonObject live) {
        final long[] sums = new long[3];
        for (final Object o : live.getJsonArray("minutes")) {
            final JsonObject minute = (JsonObject) o;
            sums[0] += minute.getLong("APPROVE");
            sums[1] += minute.getLong("REVIEW");
            sums[2] += minute.getLong("DECLINE");
        }
        return sums;
    }

    /** Alerts of merchant m-1 in the two hours of a /v1/live answer. */
    private static long alertsOfM1(final JsonObject live) {
        long alerts = 0;
        for (final Object h : live.getJsonArray("topAlertMerchants")) {
            for (final Object m : ((JsonObject) h).getJsonArray("merchants")) {
                alerts += "m-1".equals(((JsonObject) m).getString("merchantId")) ? ((JsonObject) m).getLong("alerts")
                    : 0;
            }
        }
        return alerts;
    }

    private static JsonObject live(final ListApiFixture f) throws Exception {
        final HttpResponse<Buffer> r = f.send(HttpMethod.GET, "/v1/live?minutes=10", f.analyst, null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    @Test
    void shouldCountEveryDecisionPerMinuteAndAlertsPerMerchantInRedisWithExpiry() throws Exception {
        try (TestRedis redis = TestRedis.start(dir.resolve("redis"), false);
             ListApiFixture f = new ListApiFixture(dir, redis.url(), 1).ready()) {
            final JsonObject before = live(f); // a configured Redis may hold other runs' figures
            assertEquals(10, before.getJsonArray("minutes").size());
            assertTrue(before.containsKey("reviewQueue") && before.getValue("reviewQueue") == null,
                "no case database: no review queue");
            final HttpResponse<Buffer> blocked = f.send(HttpMethod.POST, "/v1/lists/block/card", f.analyst,
                "{\"value\":\"k-9\"}");
            assertEquals(201, blocked.statusCode(), blocked.bodyAsString());
            await(() -> f.engine.lastListStreamId().equals(blocked.bodyAsJsonObject().getString("streamId")),
                "the engine applied the block");
            final long[] decided = new long[3];
            for (int i = 0; i < 24; i++) {
                final JsonObject decision = f.score(f.scorer, i, "c-" + i % 5, i % 4 == 0 ? "k-9" : "k-" + i);
                decided[List.of("APPROVE", "REVIEW", "DECLINE").indexOf(decision.getString("decision"))]++;
            }
            assertTrue(decided[2] >= 6, "the blocked card's transactions are declined");
            await(() -> {
                try {
                    final long[] now = outcomes(live(f));
                    final long[] then = outcomes(before);
                    return now[0] - then[0] == decided[0] && now[1] - then[1] == decided[1]
                        && now[2] - then[2] == decided[2];
                } catch (final Exception e) {
                    throw new AssertionError(e);
                }
            }, "the live figures count every decision");
            assertEquals(decided[1] + decided[2], alertsOfM1(live(f)) - alertsOfM1(before), "alerts of m-1");
            final JsonObject latency = live(f).getJsonObject("latency");
            assertEquals(120, latency.getInteger("windowSeconds"));
            for (final String[] part : new String[][] {{"answer", "Ms"}, {"engine", "Us"}}) {
                final JsonObject p = latency.getJsonObject(part[0]);
                assertTrue(p.getDouble("p50" + part[1]) > 0 && p.getDouble("p99" + part[1]) >= p.getDouble("p50"
                    + part[1]) && p.getDouble("p999" + part[1]) >= p.getDouble("p99" + part[1]), latency.encode());
            }

            final Redis client = Redis.createClient(f.vertx, redis.url());
            try {
                final Response keys = ListApiFixture.await(client.send(Request.cmd(Command.KEYS).arg("ecap:live:*")));
                assertTrue(keys.size() >= 2, "a minute and an hour key: " + keys);
                for (final Response key : keys) {
                    final long ttl = ListApiFixture.await(client.send(Request.cmd(Command.TTL).arg(key.toString())))
                        .toLong();
                    assertTrue(ttl > 0 && ttl <= 25 * 3600, key + " expires (bounded memory): " + ttl);
                }
            } finally {
                client.close();
            }

            for (final String bad : new String[] {"minutes=0", "minutes=121", "minutes=abc", "top=0", "top=101",
                "minutes=5&minutes=6"}) {
                final HttpResponse<Buffer> r = f.send(HttpMethod.GET, "/v1/live?" + bad, f.analyst, null);
                assertEquals(400, r.statusCode(), bad + ": " + r.bodyAsString());
                assertEquals(bad.substring(0, bad.indexOf('=')), r.bodyAsJsonObject().getString("field"), bad);
            }
            assertEquals(403, f.send(HttpMethod.GET, "/v1/live", f.scorer, null).statusCode());
            assertEquals(403, f.send(HttpMethod.GET, "/v1/live", f.limited, null).statusCode(),
                "the figures name every merchant: not for a key limited to some");
            final JsonArray tops = live(f).getJsonArray("topAlertMerchants");
            assertEquals(2, tops.size(), "this hour and the one before");
        }
    }
}

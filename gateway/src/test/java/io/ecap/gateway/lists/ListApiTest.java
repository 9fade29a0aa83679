package io.ecap.gateway.lists;

import static io.ecap.gateway.cases.CaseWriterTest.await;
import static io.ecap.gateway.lists.ListApiFixture.firstReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import io.ecap.hotpath.replay.Replay;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list API on a real Redis, through a real gateway, into a real engine. */
class ListApiTest {
    @TempDir
    Path dir;

    private static HttpResponse<Buffer> block(final ListApiFixture f, final String kind, final String body)
        throws Exception {
        return f.send(HttpMethod.POST, "/v1/lists/block/" + kind, f.analyst, body);
    }

    /** Waits until the engine has applied the change with this stream id. */
    private static void awaitApplied(final ListApiFixture f, final HttpResponse<Buffer> change) throws Exception {
        final String id = change.bodyAsJsonObject().getString("streamId");
        final long startNs = System.nanoTime();
        await(() -> f.engine.lastListStreamId().equals(id), "the engine applied list change " + id);
        System.out.printf("list change %s applied %.1f ms after the API answered%n", id,
            (System.nanoTime() - startNs) / 1e6);
    }

    private static long journaledListChanges(final ListApiFixture f) {
        long count = 0;
        try (JournalReader reader = f.engine.journal().reader()) {
            reader.hoppingGaps().after(0);
            while (reader.next()) {
                count += reader.type() == EntryType.LIST_CHANGE ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void shouldChangeDecisionsThroughTheApi() throws Exception {
        try (TestRedis redis = TestRedis.start(dir.resolve("redis"), false);
             ListApiFixture f = new ListApiFixture(dir, redis.url(), 1).ready()) {
            assertNotEquals("BLOCKLIST_CARD", firstReason(f.score(f.scorer, 1, "c-1", "k-1")));
            final HttpResponse<Buffer> added = block(f, "card", "{\"value\":\"k-1\",\"reason\":\"chargebacks\"}");
            assertEquals(201, added.statusCode(), added.bodyAsString());
            awaitApplied(f, added);
            final JsonObject declined = f.score(f.scorer, 2, "c-1", "k-1");
            assertEquals("DECLINE", declined.getString("decision"));
            assertEquals("BLOCKLIST_CARD", firstReason(declined));

            final HttpResponse<Buffer> listed = f.send(HttpMethod.GET, "/v1/lists/block/card", f.analyst, null);
            assertEquals(200, listed.statusCode());
            final JsonObject entry = listed.bodyAsJsonObject().getJsonArray("entries").getJsonObject(0);
            assertEquals("k-1", entry.getString("value"));
            assertEquals("chargebacks", entry.getString("reason"));
            assertEquals("ann1", entry.getString("actor"));
            assertEquals(200, f.send(HttpMethod.GET, "/v1/lists/block/card/k-1", f.limited, null).statusCode());
            assertEquals(404, f.send(HttpMethod.GET, "/v1/lists/block/card/k-2", f.analyst, null).statusCode());

            final HttpResponse<Buffer> allowed = f.send(HttpMethod.POST, "/v1/lists/allow/customer", f.analyst,
                "{\"value\":\"c-7\"}");
            awaitApplied(f, allowed);
            final JsonObject approved = f.score(f.scorer, 3, "c-7", "k-7");
            assertEquals("APPROVE", approved.getString("decision"));
            assertEquals("ALLOWLIST_CUSTOMER", firstReason(approved));

            final HttpResponse<Buffer> removed = f.send(HttpMethod.DELETE, "/v1/lists/block/card/k-1", f.analyst,
                null);
            assertEquals(200, removed.statusCode(), removed.bodyAsString());
            assertTrue(removed.bodyAsJsonObject().getBoolean("removed"));
            awaitApplied(f, removed);
            assertNotEquals("BLOCKLIST_CARD", firstReason(f.score(f.scorer, 4, "c-1", "k-1")));
            assertEquals(3, f.engine.counters().get(Counter.LIST_CHANGES));

            // removing it again changes nothing: no stream entry, no journal entry
            final HttpResponse<Buffer> again = f.send(HttpMethod.DELETE, "/v1/lists/block/card/k-1", f.analyst,
                null);
            assertEquals(200, again.statusCode(), again.bodyAsString());
            assertFalse(again.bodyAsJsonObject().getBoolean("removed"));
            assertNull(again.bodyAsJsonObject().getString("streamId"));
            final HttpResponse<Buffer> later = f.send(HttpMethod.POST, "/v1/lists/block/device", f.analyst,
                "{\"value\":\"d-9\"}");
            awaitApplied(f, later); // a later change arrives, and the repeated removal did not come before it
            assertEquals(4, f.engine.counters().get(Counter.LIST_CHANGES));

            // a range of BINs: a payment whose card's BIN lies in it is declined
            final HttpResponse<Buffer> range = block(f, "bin", "{\"value\":\"400000-409999\"}");
            assertEquals(201, range.statusCode(), range.bodyAsString());
            awaitApplied(f, range);
            final JsonObject txn = new JsonObject().put("txnId", "t-bin").put("ts", ListApiFixture.T0)
                .put("customerId", "c-8").put("cardId", "k-8").put("merchantId", "m-1").put("amount", "12.00")
                .put("currency", "EUR").put("bin", "40123456");
            final JsonObject binDeclined = f.send(HttpMethod.POST, "/v1/score", f.scorer, txn.encode())
                .bodyAsJsonObject();
            assertEquals("DECLINE", binDeclined.getString("decision"), binDeclined.encode());
            assertEquals("BLOCKLIST_BIN", firstReason(binDeclined));
        }
    }

    @Test
    void shouldRefuseWhatIsWrongNamingTheField() throws Exception {
        try (TestRedis redis = TestRedis.start(dir.resolve("redis"), false);
             ListApiFixture f = new ListApiFixture(dir, redis.url(), 1).ready()) {
            assertRefused(block(f, "iban", "{\"value\":\"411111\"}"), 400, "kind");
            assertRefused(block(f, "bin", "{\"value\":\"4111\"}"), 400, "value");
            assertRefused(block(f, "bin", "{\"value\":\"409999-400000\"}"), 400, "value");
            assertRefused(f.send(HttpMethod.POST, "/v1/lists/deny/card", f.analyst, "{\"value\":\"k\"}"), 400,
                "list");
            assertRefused(block(f, "email", "{\"value\":\"someone@example.com\"}"), 400, "value");
            assertRefused(block(f, "ip", "{\"value\":\"10.0.0.999\"}"), 400, "value");
            assertRefused(block(f, "card", "{\"value\":\"4111 1111 1111 1111\"}"), 400, "value");
            assertRefused(block(f, "card", "{}"), 400, "value");
            assertRefused(block(f, "card", "{\"value\":\"k-1\",\"colour\":\"red\"}"), 400, "colour");
            assertRefused(block(f, "card", "{\"value\":\"k-1\",\"reason\":\"" + "x".repeat(200) + "\"}"), 400,
                "reason");
            assertEquals(403, f.send(HttpMethod.POST, "/v1/lists/block/card", f.limited, "{\"value\":\"k-1\"}")
                .statusCode());
            assertEquals(403, f.send(HttpMethod.POST, "/v1/lists/block/card", f.scorer, "{\"value\":\"k-1\"}")
                .statusCode());
            assertEquals(401, f.send(HttpMethod.GET, "/v1/lists/block/card", null, null).statusCode());
            final HttpResponse<Buffer> ip = block(f, "ip", "{\"value\":\"::FFFF:10.0.0.7\"}");
            assertEquals("10.0.0.7", ip.bodyAsJsonObject().getString("value"), "an IP is kept in canonical form");
        }
    }

    private static void assertRefused(final HttpResponse<Buffer> response, final int status, final String field) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertEquals(field, response.bodyAsJsonObject().getString("field"), response.bodyAsString());
    }

    @Test
    void shouldScoreWithTheLastListsWhileRedisIsAwayAndCatchUpWhenItReturns() throws Exception {
        try (TestRedis redis = TestRedis.start(dir.resolve("redis"), true);
             ListApiFixture f = new ListApiFixture(dir, redis.url(), 1).ready()) {
            awaitApplied(f, block(f, "card", "{\"value\":\"k-1\"}"));
            redis.stop();
            await(() -> f.gateway.listFollower().away(), "the follower noticed that Redis is away");
            assertEquals("BLOCKLIST_CARD", firstReason(f.score(f.scorer, 1, "c-1", "k-1")));
            final HttpResponse<Buffer> refused = block(f, "card", "{\"value\":\"k-2\"}");
            assertEquals(503, refused.statusCode(), refused.bodyAsString());
            assertEquals("lists_unavailable", refused.bodyAsJsonObject().getString("error"));

            redis.start();
            await(() -> !f.gateway.listFollower().away(), "the follower is back on Redis");
            awaitApplied(f, block(f, "device", "{\"value\":\"d-1\"}"));
            assertEquals("BLOCKLIST_CARD", firstReason(f.score(f.scorer, 2, "c-2", "k-1")));
            assertEquals(2, f.engine.counters().get(Counter.LIST_CHANGES), "each change applied once");
            assertEquals(2, journaledListChanges(f));
        }
    }

    @Test
    void shouldStartWithTheJournaledListsAndCatchUpOnChangesMadeWhileAway() throws Exception {
        try (TestRedis redis = TestRedis.start(dir.resolve("redis"), false)) {
            final String first;
            try (ListApiFixture f = new ListApiFixture(dir, redis.url(), 1).ready()) {
                final HttpResponse<Buffer> added = block(f, "card", "{\"value\":\"k-1\"}");
                awaitApplied(f, added);
                first = added.bodyAsJsonObject().getString("streamId");
                f.score(f.scorer, 1, "c-1", "k-1");
            }
            // another instance changes the lists while this one is stopped
            final Vertx vertx = Vertx.vertx();
            final String second;
            try {
                final ListStore other = ListStore.open(vertx, new ListOptions(redis.url()));
                second = ListApiFixture.await(other.add(ListType.BLOCK, ListKind.EMAIL, "9f86d081884c7d65", "",
                    "other-instance", ListApiFixture.T0)).streamId();
                ListApiFixture.await(other.close());
            } finally {
                ListApiFixture.await(vertx.close());
            }
            try (ListApiFixture f = new ListApiFixture(dir, redis.url(), 2)) {
                assertEquals(0, f.engine.recoveredEntries(), "a clean start reads no journal entry but the lists'");
                assertEquals(first, f.engine.lastListStreamId(), "the lists are back from the journal at start");
                f.ready();
                assertEquals("BLOCKLIST_CARD", firstReason(f.score(f.scorer, 2, "c-2", "k-1")));
                await(() -> f.engine.lastListStreamId().equals(second), "the change made while away arrived");
                final JsonObject declined = f.score(f.scorer, 3, "c-3", "k-3");
                assertNotEquals("BLOCKLIST_EMAIL", firstReason(declined), "k-3 has no email");
                assertEquals(1, f.engine.counters().get(Counter.LIST_CHANGES), "only the new change was applied");
                assertEquals(2, journaledListChanges(f));
            }
            final Replay.Result replay = Replay.run(dir.resolve("data/journal"), dir.resolve("replay"), 10_000,
                50_000, n -> { });
            assertTrue(replay.identical(), replay.examples().toString());
            assertFalse(replay.scored() == 0);
        }
    }

    /**
     * A list is read a page at a time in value order, with its size and the next page's cursor; values an earlier
     * ECAP kept in the hash alone (before the sorted set of values) are in the pages too.
     */
    @Test
    void shouldReadAListAPageAtATimeInValueOrder() throws Exception {
        try (TestRedis redis = TestRedis.start(dir.resolve("redis"), false);
             ListApiFixture f = new ListApiFixture(dir, redis.url(), 1).ready()) {
            final java.util.TreeSet<String> expected = new java.util.TreeSet<>();
            // as an ECAP from before the sorted set kept them: in the hash only
            final Redis raw = Redis.createClient(f.vertx, redis.url());
            for (int i = 0; i < 40; i++) {
                final String value = String.format("old-%03d", i);
                ListApiFixture.await(raw.send(Request.cmd(Command.HSET).arg(ListKeys.hash(ListType.BLOCK,
                    ListKind.DEVICE)).arg(value).arg("{\"reason\":\"imported\",\"actor\":\"before\"}")));
                expected.add(value);
            }
            for (int i = 0; i < 210; i++) {
                final String value = String.format("d-%04d", (i * 37) % 1000);
                assertEquals(201, f.send(HttpMethod.POST, "/v1/lists/block/device", f.analyst,
                    "{\"value\":\"" + value + "\"}").statusCode());
                expected.add(value);
            }
            assertEquals(expected.size(), ListApiFixture.await(raw.send(Request.cmd(Command.ZCARD)
                .arg(ListKeys.values(ListType.BLOCK, ListKind.DEVICE)))).toLong(), "the old values indexed too");
            ListApiFixture.await(raw.close());

            final java.util.List<String> read = new java.util.ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                final HttpResponse<Buffer> page = f.send(HttpMethod.GET, "/v1/lists/block/device?limit=100"
                    + (after == null ? "" : "&after=" + after), f.analyst, null);
                assertEquals(200, page.statusCode(), page.bodyAsString());
                final JsonObject body = page.bodyAsJsonObject();
                assertEquals(expected.size(), body.getLong("count"));
                body.getJsonArray("entries").forEach(e -> read.add(((JsonObject) e).getString("value")));
                after = body.getString("next");
                assertEquals(after == null ? read.get(read.size() - 1) : after, read.get(read.size() - 1));
                pages++;
            } while (after != null);
            assertEquals(new java.util.ArrayList<>(expected), read, "every value once, in value order");
            assertEquals(3, pages, "250 values in pages of 100");
            final JsonObject old = f.send(HttpMethod.GET, "/v1/lists/block/device?after=d-9999&limit=1", f.analyst,
                null).bodyAsJsonObject();
            assertEquals("old-000", old.getJsonArray("entries").getJsonObject(0).getString("value"));
            assertEquals("imported", old.getJsonArray("entries").getJsonObject(0).getString("reason"));
            assertEquals("old-000", old.getString("next"));
            final JsonObject whole = f.send(HttpMethod.GET, "/v1/lists/block/device?limit=1000", f.analyst, null)
                .bodyAsJsonObject();
            assertEquals(250, whole.getJsonArray("entries").size());
            assertNull(whole.getString("next"), "nothing follows the last page");
            assertEquals(100, f.send(HttpMethod.GET, "/v1/lists/block/device", f.analyst, null).bodyAsJsonObject()
                .getJsonArray("entries").size(), "100 to a page unless limit says otherwise");

            assertEquals(200, f.send(HttpMethod.DELETE, "/v1/lists/block/device/old-007", f.analyst, null)
                .statusCode());
            assertEquals(249, f.send(HttpMethod.GET, "/v1/lists/block/device?limit=1", f.analyst, null)
                .bodyAsJsonObject().getLong("count"), "a removal leaves the sorted set too");

            assertRefused(f.send(HttpMethod.GET, "/v1/lists/block/device?limit=0", f.analyst, null), 400, "limit");
            assertRefused(f.send(HttpMethod.GET, "/v1/lists/block/device?limit=1001", f.analyst, null), 400,
                "limit");
            assertRefused(f.send(HttpMethod.GET, "/v1/lists/block/device?after=", f.analyst, null), 400, "after");
            assertRefused(f.send(HttpMethod.GET, "/v1/lists/block/device?after=4111111111111111", f.analyst, null),
                400, "after");
            assertRefused(f.send(HttpMethod.GET, "/v1/lists/block/device?page=2", f.analyst, null), 400, "page");
            final HttpResponse<Buffer> noValue = f.send(HttpMethod.DELETE, "/v1/lists/block/device/", f.analyst,
                null);
            assertEquals(405, noValue.statusCode(), noValue.bodyAsString());
            assertEquals("GET, HEAD, POST", noValue.getHeader("allow"), "the list's own methods, with a slash");
            assertRefused(f.send(HttpMethod.GET, "/v1/lists/block/device?limit=5&limit=6", f.analyst, null), 400,
                "limit");
            final HttpResponse<Buffer> undecodable = f.send(HttpMethod.GET, "/v1/lists/block/device?after=%zz",
                f.analyst, null);
            assertEquals(400, undecodable.statusCode(), undecodable.bodyAsString());
            assertEquals("invalid_query", undecodable.bodyAsJsonObject().getString("error"),
                undecodable.bodyAsString());
            assertTrue(undecodable.bodyAsJsonObject().getString("message").contains("two hexadecimal digits"),
                undecodable.bodyAsString());
        }
    }
}

package io.ecap.gateway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.Gateway;
import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.model.shard.Shard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap router} in front of two real shards (engine and gateway each, one set of keys). */
class ShardRouterTest {
    private static final long T0 = System.currentTimeMillis() - 3_600_000L;

    @TempDir
    Path dir;

    private final List<Vertx> shardVertx = new ArrayList<>();
    private final List<EngineRunner> engines = new ArrayList<>();
    private final List<Gateway> gateways = new ArrayList<>();
    private final java.util.Set<Integer> stopped = new java.util.HashSet<>();
    private Vertx vertx;
    private WebClient web;
    private int routerPort;
    private final List<URI> urls = new ArrayList<>();
    private String key;

    @BeforeEach
    void start() throws Exception {
        final ApiKeys keys = ApiKeys.load(dir.resolve("api-keys"));
        key = keys.create("all", EnumSet.allOf(Scope.class));
        for (int i = 0; i < 2; i++) {
            final Vertx v = Gateway.newVertx();
            shardVertx.add(v);
            final Gateway gateway = await(Gateway.start(v, GatewayConfig.defaults().withPort(0).withInstances(1),
                keys));
            final EngineRunner engine = EngineRunner.start(EngineConfig.defaults(dir.resolve("shard" + i))
                .withEntries(10_000, 50_000).withShard(new Shard(i, 2)), Throwable::printStackTrace);
            gateway.engineReady(engine);
            gateways.add(gateway);
            engines.add(engine);
            urls.add(URI.create("http://127.0.0.1:" + gateway.port()));
        }
        vertx = Vertx.vertx();
        web = WebClient.create(vertx);
        final ShardRouter router = new ShardRouter(new RouterConfig("127.0.0.1", 0, urls, 1000, 1 << 20, 5_000));
        await(vertx.deployVerticle(router));
        routerPort = router.port();
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        for (int i = 0; i < gateways.size(); i++) {
            if (!stopped.contains(i)) {
                await(gateways.get(i).stop());
            }
            engines.get(i).close();
            await(shardVertx.get(i).close());
        }
    }

    private static String txn(final String id, final String customer, final String amount) {
        return "{\"txnId\":\"" + id + "\",\"ts\":" + T0 + ",\"customerId\":\"" + customer + "\",\"cardId\":\"k-"
            + customer + "\",\"merchantId\":\"m-1\",\"amount\":\"" + amount + "\",\"currency\":\"USD\"}";
    }

    @Test
    void aPaymentGoesToTheShardOfItsCustomerOnly() throws Exception {
        for (int i = 0; i < 60; i++) {
            final String customer = "c-" + (i % 20);
            final HttpResponse<Buffer> answer = send(routerPort, HttpMethod.POST, "/v1/score",
                txn("t-" + i, customer, "12.50"));
            assertEquals(200, answer.statusCode(), answer.bodyAsString());
            final int owner = Shard.of(customer, 2);
            assertEquals(Integer.toString(owner), answer.getHeader("X-ECAP-Shard"));
            assertEquals(owner, shardOf(answer.bodyAsJsonObject().getLong("journalIndex"), "t-" + i));
        }
        assertEquals(404, send(routerPort, HttpMethod.GET, "/v1/decisions/t-none", null).statusCode());
        final HttpResponse<Buffer> found = send(routerPort, HttpMethod.GET, "/v1/decisions/t-7", null);
        assertEquals(200, found.statusCode(), found.bodyAsString());
        assertEquals("t-7", found.bodyAsJsonObject().getString("txnId"));

        // sent to a shard directly, another shard's customer is refused, naming its shard
        final int wrong = 1 - Shard.of("c-3", 2);
        final HttpResponse<Buffer> refused = send(gateways.get(wrong).port(), HttpMethod.POST, "/v1/score",
            txn("t-x", "c-3", "1.00"));
        assertEquals(400, refused.statusCode());
        assertTrue(refused.bodyAsString().contains("belongs to shard " + (1 - wrong) + "/2"), refused.bodyAsString());

        // a label is journaled on both; the answer is the one of the shard that scored the payment
        final HttpResponse<Buffer> label = send(routerPort, HttpMethod.POST, "/v1/labels",
            "{\"txnId\":\"t-7\",\"label\":\"FRAUD\",\"source\":\"CHARGEBACK\",\"ts\":" + (T0 + 1000) + "}");
        assertEquals(202, label.statusCode(), label.bodyAsString());
        assertEquals(true, label.bodyAsJsonObject().getBoolean("matched"));
        assertEquals(Integer.toString(Shard.of("c-7", 2)), label.getHeader("X-ECAP-Shard"));

        // an erasure reaches every shard: the customer's record goes from its own
        final HttpResponse<Buffer> erased = send(routerPort, HttpMethod.POST, "/v1/admin/erasures",
            "{\"kind\":\"customer\",\"id\":\"c-7\"}");
        assertEquals(200, erased.statusCode(), erased.bodyAsString());
        assertEquals(1, erased.bodyAsJsonObject().getInteger("records"), erased.bodyAsString());
        final JsonArray each = erased.bodyAsJsonObject().getJsonArray("shards");
        assertEquals(2, each.size());
        assertEquals(1, each.getJsonObject(Shard.of("c-7", 2)).getInteger("records"), erased.bodyAsString());
        assertEquals(0, each.getJsonObject(1 - Shard.of("c-7", 2)).getInteger("records"));
    }

    @Test
    void aBatchIsSplitByShardAndAnsweredInItsOrder() throws Exception {
        final JsonArray batch = new JsonArray();
        for (int i = 0; i < 40; i++) {
            batch.add(new JsonObject(txn("b-" + i, "c-" + (i * 7 % 13), "3.00")));
        }
        final HttpResponse<Buffer> answer = send(routerPort, HttpMethod.POST, "/v1/score/batch", batch.encode());
        assertEquals(200, answer.statusCode(), answer.bodyAsString());
        final JsonArray decisions = answer.bodyAsJsonArray();
        assertEquals(40, decisions.size());
        for (int i = 0; i < 40; i++) {
            assertEquals("b-" + i, decisions.getJsonObject(i).getString("txnId"));
        }
        // a bad item fails the whole batch with its own index, and nothing of it is scored
        final JsonArray bad = new JsonArray();
        for (int i = 0; i < 10; i++) {
            bad.add(new JsonObject(txn("d-" + i, "c-" + i, i == 7 ? "-1" : "2.00")));
        }
        final HttpResponse<Buffer> refused = send(routerPort, HttpMethod.POST, "/v1/score/batch", bad.encode());
        assertEquals(400, refused.statusCode());
        assertEquals("[7].amount", refused.bodyAsJsonObject().getString("field"), refused.bodyAsString());
        assertEquals(404, send(routerPort, HttpMethod.GET, "/v1/decisions/d-0", null).statusCode());
        // a conflict in an item's place names the item of the batch, not of the shard's part
        final JsonArray again = new JsonArray().add(new JsonObject(txn("n-1", "c-1", "1.00")))
            .add(new JsonObject(txn("b-5", "c-" + (5 * 7 % 13), "9.99")));
        final JsonArray mixed = send(routerPort, HttpMethod.POST, "/v1/score/batch", again.encode())
            .bodyAsJsonArray();
        assertEquals("idempotency_conflict", mixed.getJsonObject(1).getString("error"));
        assertEquals(1, mixed.getJsonObject(1).getInteger("item"));
    }

    @Test
    void customerProfilesGoToTheirCustomersShards() throws Exception {
        final JsonArray profiles = new JsonArray();
        for (int i = 0; i < 30; i++) {
            profiles.add(new JsonObject().put("customerId", "c-" + i).put("ts", T0).put("segment", "At Risk"));
        }
        final HttpResponse<Buffer> taken = send(routerPort, HttpMethod.POST, "/v1/admin/profiles", profiles.encode());
        assertEquals(202, taken.statusCode(), taken.bodyAsString());
        assertEquals(30, taken.bodyAsJsonObject().getInteger("accepted"));
        int owned = 0;
        for (int i = 0; i < 30; i++) {
            owned += Shard.of("c-" + i, 2) == 0 ? 1 : 0;
        }
        final JsonArray parts = taken.bodyAsJsonObject().getJsonArray("shards");
        assertEquals(2, parts.size());
        assertEquals(owned, parts.getJsonObject(0).getInteger("accepted"), "each shard took its own customers");
        assertEquals(30 - owned, parts.getJsonObject(1).getInteger("accepted"));
        for (final EngineRunner engine : engines) {
            engine.loadRuleSet("ruleset loop version 1\nthresholds review 10 decline 20\nrule AT_RISK weight 15\n"
                + "    when customer.segment == \"At Risk\"\n", "test", T0).get();
        }
        assertEquals("REVIEW", send(routerPort, HttpMethod.POST, "/v1/score", txn("pr-1", "c-4", "2.00"))
            .bodyAsJsonObject().getString("decision"), "the profile is on the customer's shard");
        assertEquals("APPROVE", send(routerPort, HttpMethod.POST, "/v1/score", txn("pr-2", "c-99", "2.00"))
            .bodyAsJsonObject().getString("decision"), "a customer without a profile");

        final JsonArray bad = new JsonArray().add(new JsonObject().put("customerId", "c-1").put("ts", T0)
            .put("segment", "Lost")).add(new JsonObject().put("customerId", "c-2").put("ts", T0).put("churnRisk", 2));
        final HttpResponse<Buffer> refused = send(routerPort, HttpMethod.POST, "/v1/admin/profiles", bad.encode());
        assertEquals(400, refused.statusCode());
        assertEquals("[1].churnRisk", refused.bodyAsJsonObject().getString("field"), refused.bodyAsString());
    }

    @Test
    void aShardThatIsAwayIsNamedAndTheOthersGoOn() throws Exception {
        final String awayCustomer = customerOf(1);
        final String hereCustomer = customerOf(0);
        await(gateways.get(1).stop());
        stopped.add(1);
        final HttpResponse<Buffer> away = send(routerPort, HttpMethod.POST, "/v1/score",
            txn("a-1", awayCustomer, "5.00"));
        assertEquals(502, away.statusCode(), away.bodyAsString());
        assertEquals("shard_unavailable", away.bodyAsJsonObject().getString("error"));
        assertEquals(1, away.bodyAsJsonObject().getInteger("shard"));
        assertEquals(200, send(routerPort, HttpMethod.POST, "/v1/score", txn("a-2", hereCustomer, "5.00"))
            .statusCode());
        // a label of a payment the live shard scored takes effect there, whatever the other shard says
        final HttpResponse<Buffer> label = send(routerPort, HttpMethod.POST, "/v1/labels",
            "{\"txnId\":\"a-2\",\"label\":\"FRAUD\",\"source\":\"CHARGEBACK\",\"ts\":" + (T0 + 1000) + "}");
        assertEquals(202, label.statusCode(), label.bodyAsString());
        assertEquals("0", label.getHeader("X-ECAP-Shard"));
        final HttpResponse<Buffer> ready = send(routerPort, HttpMethod.GET, "/health/ready", null);
        assertEquals(503, ready.statusCode());
        assertEquals(1, ready.bodyAsJsonObject().getJsonArray("shards").getJsonObject(0).getInteger("shard"));
        final HttpResponse<Buffer> invalid = send(routerPort, HttpMethod.POST, "/v1/score", "{\"txnId\":1}");
        assertEquals(400, invalid.statusCode());
        assertEquals(404, send(routerPort, HttpMethod.GET, "/v1/cases", null).statusCode());
    }

    @Test
    void theRouterAnswersAsAShardWouldAndChecksItsShards() throws Exception {
        // without a key, a bad body is refused for the key first, as a shard does; the router's own answers are JSON
        // and carry the request id
        final var noKey = await(web.request(HttpMethod.POST, routerPort, "127.0.0.1", "/v1/score")
            .putHeader("Content-Type", "application/json").putHeader("X-Request-Id", "r-1")
            .sendBuffer(Buffer.buffer("{bad")));
        assertEquals(401, noKey.statusCode(), noKey.bodyAsString());
        assertEquals("r-1", noKey.getHeader("X-Request-Id"));
        final HttpResponse<Buffer> bad = send(routerPort, HttpMethod.POST, "/v1/score", "{bad");
        assertEquals(400, bad.statusCode());
        assertEquals("invalid_json", bad.bodyAsJsonObject().getString("error"));
        final HttpResponse<Buffer> big = send(routerPort, HttpMethod.POST, "/v1/score", "[" + "1,".repeat(600_000)
            + "1]");
        assertEquals(413, big.statusCode());
        assertEquals("payload_too_large", big.bodyAsJsonObject().getString("error"));
        assertTrue(big.getHeader("X-Request-Id") != null);
        final HttpResponse<Buffer> put = send(routerPort, HttpMethod.PUT, "/v1/score", "{}");
        assertEquals(405, put.statusCode());
        assertEquals("POST", put.getHeader("Allow"));
        assertEquals(200, send(routerPort, HttpMethod.HEAD, "/health/ready", null).statusCode());
        assertEquals("not_found", send(routerPort, HttpMethod.GET, "/v1/nope", null).bodyAsJsonObject()
            .getString("error"));
        assertEquals("not_routed", send(routerPort, HttpMethod.GET, "/v1/live", null).bodyAsJsonObject()
            .getString("error"));

        // the shards listed in the wrong order: answers from the wrong engine are not passed on, readiness says why
        final ShardRouter swapped = new ShardRouter(new RouterConfig("127.0.0.1", 0, List.of(urls.get(1),
            urls.get(0)), 1000, 1 << 20, 5_000));
        await(vertx.deployVerticle(swapped));
        final HttpResponse<Buffer> mismatch = send(swapped.port(), HttpMethod.POST, "/v1/score",
            txn("m-1", customerOf(0), "1.00"));
        assertEquals(502, mismatch.statusCode(), mismatch.bodyAsString());
        assertEquals("shard_mismatch", mismatch.bodyAsJsonObject().getString("error"));
        final HttpResponse<Buffer> notReady = send(swapped.port(), HttpMethod.GET, "/health/ready", null);
        assertEquals(503, notReady.statusCode());
        assertTrue(notReady.bodyAsString().contains("list the shards in order"), notReady.bodyAsString());
    }

    private static String customerOf(final int shard) {
        int i = 0;
        while (Shard.of("c-" + i, 2) != shard) {
            i++;
        }
        return "c-" + i;
    }

    /** The shard that holds a decision: the one whose own lookup finds it. */
    private int shardOf(final long journalIndex, final String txnId) throws Exception {
        int holder = -1;
        for (int i = 0; i < 2; i++) {
            if (send(gateways.get(i).port(), HttpMethod.GET, "/v1/decisions/" + txnId, null).statusCode() == 200) {
                assertEquals(-1, holder, txnId + " held by two shards");
                holder = i;
            }
        }
        assertTrue(journalIndex > 0);
        return holder;
    }

    private HttpResponse<Buffer> send(final int port, final HttpMethod method, final String path, final String body)
        throws Exception {
        final var request = web.request(method, port, "127.0.0.1", path).putHeader("X-API-Key", key);
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }

    private static <T> T await(final Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

package io.ecap.gateway.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ecap.gateway.cases.CaseApiFixture;
import io.ecap.gateway.cases.Postgres;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review queue's size among the live figures: from the case database, beside Redis's counts. */
class ReviewQueueLiveTest {
    @TempDir
    Path dir;

    @Test
    void shouldCountTheCasesOpenAndInReview() throws Exception {
        try (Postgres postgres = Postgres.start(dir.resolve("pg"));
             TestRedis redis = TestRedis.start(dir.resolve("redis"), false)) {
            postgres.createDatabase("live");
            try (CaseApiFixture f = new CaseApiFixture(dir.resolve("service"), postgres.url("live"), redis.url())) {
                long cases = 0;
                long first = -1;
                for (int i = 0; i < 6; i++) {
                    final JsonObject decision = f.score(new JsonObject().put("txnId", "q-" + i)
                        .put("ts", 1_795_500_000_000L + i * 60_000L).put("customerId", "c-" + i)
                        .put("cardId", "card-" + i).put("merchantId", "m-1").put("deviceId", "dev-" + i)
                        .put("amount", i % 2 == 0 ? "5.00" : "1500.00").put("currency", "USD"));
                    if (!"APPROVE".equals(decision.getString("decision"))) {
                        cases++;
                        first = first < 0 ? decision.getLong("journalIndex") : first;
                    }
                }
                f.awaitCases();
                assertEquals(3, cases, "the large payments were sent to review or declined");
                assertEquals(new JsonObject().put("open", cases).put("inReview", 0L), queue(f));

                assertEquals(200, f.post("/v1/cases/" + first + "/assign", f.analyst, "{\"assignee\":\"ann\"}")
                    .statusCode());
                assertEquals(new JsonObject().put("open", cases - 1).put("inReview", 1L), queue(f));

                postgres.stop();
                assertNull(queue(f), "the database away: no queue, the other figures still answer");
            }
        }
    }

    private static JsonObject queue(final CaseApiFixture f) throws Exception {
        final HttpResponse<Buffer> r = f.get("/v1/live?minutes=5", f.analyst);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getJsonObject("reviewQueue");
    }
}

package io.ecap.gateway.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case routes when there are no cases: 503 naming {@code cases.database-url} when cases are off, 503 with
 * Retry-After while the database is down, and scoring unaffected either way.
 */
class CaseApiOutageTest {
    private static final List<String> ROUTES = List.of("GET /v1/cases", "GET /v1/cases/7", "POST /v1/cases/7/assign",
        "POST /v1/cases/7/comments", "POST /v1/cases/7/resolve");

    @TempDir
    Path dir;

    @Test
    void shouldAnswer503NamingTheSettingWhenCasesAreOff() throws Exception {
        try (CaseApiFixture f = new CaseApiFixture(dir, null)) {
            for (final String route : ROUTES) {
                final HttpResponse<Buffer> answer = send(f, route);
                assertEquals(503, answer.statusCode(), route);
                assertEquals("cases_off", answer.bodyAsJsonObject().getString("error"), route);
                assertTrue(answer.bodyAsJsonObject().getString("message").contains("cases.database-url"), route);
            }
            assertEquals(503, f.get("/v1/cases?status=NONSENSE", f.analyst).statusCode(),
                "off before anything else is checked");
            assertEquals("REVIEW", f.score(CaseApiTest.txn(1)).getString("decision"), "scoring works");
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheDatabaseIsDownAndRecover() throws Exception {
        try (Postgres postgres = Postgres.start(dir.resolve("pg"))) {
            postgres.createDatabase("outage");
            try (CaseApiFixture f = new CaseApiFixture(dir.resolve("service"), postgres.url("outage"))) {
                final long index = f.score(CaseApiTest.txn(1)).getLong("journalIndex");
                f.awaitCases();
                assertEquals(1, f.get("/v1/cases", f.analyst).bodyAsJsonObject().getJsonArray("cases").size());
                postgres.stop();
                for (final String route : ROUTES) {
                    final HttpResponse<Buffer> answer = send(f, route.replace("/7", "/" + index));
                    assertEquals(503, answer.statusCode(), route + ": " + answer.bodyAsString());
                    assertEquals("cases_unavailable", answer.bodyAsJsonObject().getString("error"), route);
                    assertEquals("5", answer.getHeader("Retry-After"), route);
                }
                final JsonObject scored = f.score(CaseApiTest.txn(4));
                assertEquals("REVIEW", scored.getString("decision"), "scoring works without the database");
                postgres.start();
                CaseWriterTest.await(() -> {
                    try {
                        return f.get("/v1/cases", f.analyst).statusCode() == 200;
                    } catch (final Exception e) {
                        return false;
                    }
                }, "the case routes came back");
                f.awaitCases();
                assertEquals(List.of(scored.getLong("journalIndex"), index), f.get("/v1/cases", f.analyst)
                    .bodyAsJsonObject().getJsonArray("cases").stream()
                    .map(c -> ((JsonObject) c).getLong("journalIndex")).toList(), "the case of the outage too");
                assertEquals(200, f.post("/v1/cases/" + index + "/assign", f.analyst, "{\"assignee\":\"x\"}")
                    .statusCode());
            }
        }
    }

    private static HttpResponse<Buffer> send(final CaseApiFixture f, final String route) throws Exception {
        final String[] parts = route.split(" ");
        if (parts[0].equals("GET")) {
            return f.get(parts[1], f.analyst);
        }
        final String body = parts[1].endsWith("assign") ? "{\"assignee\":\"a\"}" : parts[1].endsWith("comments")
            ? "{\"text\":\"t\"}" : "{\"resolution\":\"FRAUD\"}";
        return f.post(parts[1], f.analyst, body);
    }
}

package io.ecap.gateway;

import static io.ecap.gateway.GatewayFixture.T0;
import static io.ecap.gateway.GatewayFixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiTest {
    private static final String STRICT = "ruleset strict version 7\nthresholds review 10 decline 20\n"
        + "rule ANY weight 50\n    when txn.amount_usd > 0\n";

    @TempDir
    Path dir;

    @Test
    void shouldUploadListRollBackAndJournalWhoDidIt() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final HttpResponse<Buffer> invalid = f.post("/v1/admin/rules", f.adminKey,
                "ruleset bad version 1\nthresholds review 1 decline 2\nrule A weight 1\n    when nope > 1\n");
            assertEquals(400, invalid.statusCode());
            assertEquals("invalid_rules", invalid.bodyAsJsonObject().getString("error"));
            assertEquals("line 4: unknown feature 'nope'",
                invalid.bodyAsJsonObject().getJsonArray("problems").getString(0));
            assertEquals("default@2", f.post("/v1/score", f.scoreKey, txn("a-1", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("ruleSetVersion"), "the live rule set stays");

            final HttpResponse<Buffer> loaded = f.post("/v1/admin/rules", f.adminKey, STRICT);
            assertEquals(200, loaded.statusCode(), loaded.bodyAsString());
            assertEquals("strict@7", loaded.bodyAsJsonObject().getString("version"));
            final JsonObject strict = f.post("/v1/score", f.scoreKey, txn("a-2", T0, "c", "k", "1"))
                .bodyAsJsonObject();
            assertEquals("DECLINE", strict.getString("decision"));
            assertEquals("strict@7", strict.getString("ruleSetVersion"));

            final JsonArray versions = f.get("/v1/admin/rules", f.adminKey).bodyAsJsonObject()
                .getJsonArray("versions");
            assertEquals(2, versions.size());
            assertEquals("default@2", versions.getJsonObject(0).getString("version"));
            assertEquals("bundled default", versions.getJsonObject(0).getString("actor"));
            assertEquals("alice", versions.getJsonObject(1).getString("actor"));
            assertEquals(true, versions.getJsonObject(1).getBoolean("live"));
            final long strictIndex = versions.getJsonObject(1).getLong("journalIndex");
            assertEquals(STRICT, f.get("/v1/admin/rules/" + strictIndex, f.adminKey).bodyAsString());
            assertEquals(404, f.get("/v1/admin/rules/12345", f.adminKey).statusCode());
            final HttpResponse<Buffer> notAnIndex = f.get("/v1/admin/models/abc", f.adminKey);
            assertEquals(400, notAnIndex.statusCode());
            assertTrue(notAnIndex.bodyAsString().contains("journalIndex: expected a version's journal index"),
                notAnIndex.bodyAsString());

            final HttpResponse<Buffer> wrongMethod = f.get("/v1/admin/shadow/rules/rollback", f.adminKey);
            assertEquals(405, wrongMethod.statusCode(), wrongMethod.bodyAsString());
            assertEquals("POST", wrongMethod.headers().get("allow"));
            final HttpResponse<Buffer> back = f.post("/v1/admin/rules/rollback", f.adminKey, null);
            assertEquals(200, back.statusCode(), back.bodyAsString());
            assertEquals("default@2", back.bodyAsJsonObject().getString("version"));
            assertEquals("default@2", f.post("/v1/score", f.scoreKey, txn("a-3", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("ruleSetVersion"));
            final JsonArray after = f.get("/v1/admin/rules", f.adminKey).bodyAsJsonObject().getJsonArray("versions");
            assertEquals(3, after.size());
            assertTrue(after.getJsonObject(2).getString("actor").startsWith("alice (rollback to "));

            final HttpResponse<Buffer> model = f.post("/v1/admin/models", f.adminKey, "ecap-model 1\nname m\n"
                + "version 1\ntype logistic\nfeatures txn.amount_usd\nintercept 0\nweights 0.01\n");
            assertEquals(200, model.statusCode(), model.bodyAsString());
            assertEquals("m@1", f.post("/v1/score", f.scoreKey, txn("a-4", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("modelVersion"));
            assertEquals(400, f.post("/v1/admin/models", f.adminKey, "ecap-model 1\n").statusCode());

            // the first model's rollback goes back to rules only, journaled like any change
            final HttpResponse<Buffer> none = f.post("/v1/admin/models/rollback", f.adminKey, null);
            assertEquals(200, none.statusCode(), none.bodyAsString());
            assertEquals("none", none.bodyAsJsonObject().getString("version"));
            assertEquals("none", f.post("/v1/score", f.scoreKey, txn("a-5", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("modelVersion"));
            final JsonArray models = versions(f, "models");
            assertEquals("none", models.getJsonObject(models.size() - 1).getString("version"));
            assertTrue(models.getJsonObject(models.size() - 1).getBoolean("live"));
            assertEquals(404, f.post("/v1/admin/models/rollback", f.adminKey, "{\"version\":\"none\"}").statusCode(),
                "no model is live any more");
            assertEquals(200, f.post("/v1/admin/models/rollback", f.adminKey, "{\"journalIndex\":"
                + model.bodyAsJsonObject().getLong("journalIndex") + "}").statusCode(), "and back to m@1");
            assertEquals(200, f.post("/v1/admin/models/rollback", f.adminKey, "{\"version\":\"none\"}").statusCode());
            assertEquals("none", f.post("/v1/score", f.scoreKey, txn("a-6", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("modelVersion"));
        } finally {
            f.close();
        }
    }

    @Test
    void shouldScoreAChallengerInTheShadowWithoutChangingTheDecisionAndTakeItOut() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            assertEquals(false, f.get("/v1/admin/shadow", f.adminKey).bodyAsJsonObject().getBoolean("active"));
            final HttpResponse<Buffer> bad = f.post("/v1/admin/shadow/rules", f.adminKey, "ruleset x version 1\n"
                + "rule A weight 1\n    when nope > 1\n");
            assertEquals(400, bad.statusCode(), bad.bodyAsString());
            assertEquals("invalid_rules", bad.bodyAsJsonObject().getString("error"));

            final HttpResponse<Buffer> loaded = f.post("/v1/admin/shadow/rules", f.adminKey, STRICT);
            assertEquals(200, loaded.statusCode(), loaded.bodyAsString());
            assertEquals("strict@7", loaded.bodyAsJsonObject().getString("version"));
            final JsonObject answer = f.post("/v1/score", f.scoreKey, txn("s-1", T0, "c", "k", "1"))
                .bodyAsJsonObject();
            assertEquals("APPROVE", answer.getString("decision"), "the challenger never decides");
            assertEquals("default@2", answer.getString("ruleSetVersion"));
            assertEquals(null, answer.getValue("shadow"), "nor shows in the answer");

            // the challenger is scored right after the answer: its count follows within microseconds
            JsonObject shadow = f.get("/v1/admin/shadow", f.adminKey).bodyAsJsonObject();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (shadow.getJsonObject("sinceStart").getLong("decline") == 0 && System.nanoTime() < deadline) {
                shadow = f.get("/v1/admin/shadow", f.adminKey).bodyAsJsonObject();
            }
            assertEquals(true, shadow.getBoolean("active"), shadow.encode());
            assertEquals("strict@7", shadow.getString("ruleSetVersion"));
            assertEquals(null, shadow.getString("modelVersion"));
            assertEquals(1, shadow.getJsonObject("sinceStart").getLong("decline"), shadow.encode());
            assertEquals(1, shadow.getJsonObject("sinceStart").getLong("different"), shadow.encode());
            final String metrics = f.get("/metrics", f.adminKey).bodyAsString();
            assertTrue(metrics.contains("ecap_shadow_decisions_total{outcome=\"DECLINE\"} 1.0"), metrics);
            assertEquals(1, versions(f, "shadow/rules").size());
            // the alert feed counts every decision per version as it reads the journal, a few ms behind
            final String live = "ecap_version_decisions_total{model_version=\"none\",outcome=\"APPROVE\","
                + "role=\"live\",rule_set_version=\"default@2\"} 1.0";
            final String challenger = "ecap_version_decisions_total{model_version=\"none\",outcome=\"DECLINE\","
                + "role=\"shadow\",rule_set_version=\"strict@7\"} 1.0";
            String scraped = "";
            for (int i = 0; i < 100 && !(scraped.contains(live) && scraped.contains(challenger)); i++) {
                Thread.sleep(50);
                scraped = f.get("/metrics", f.adminKey).bodyAsString();
            }
            assertTrue(scraped.contains(live) && scraped.contains(challenger), scraped);
            assertTrue(scraped.contains("ecap_version_score_bucket{model_version=\"none\",role=\"shadow\","
                + "rule_set_version=\"strict@7\",le=\"300.0\"} 1"), "the challenger's score 300 in its bucket");

            // one version, one content, live and in the shadow alike
            final HttpResponse<Buffer> clash = f.post("/v1/admin/rules", f.adminKey, STRICT.replace("weight 50",
                "weight 60"));
            assertEquals(409, clash.statusCode(), clash.bodyAsString());
            assertTrue(clash.bodyAsJsonObject().getString("message").contains("strict@7 is already taken by a "
                + "different rule set in the shadow"), clash.bodyAsString());

            final HttpResponse<Buffer> out = f.post("/v1/admin/shadow/rules/rollback", f.adminKey,
                "{\"version\":\"none\"}");
            assertEquals(200, out.statusCode(), out.bodyAsString());
            assertEquals("none", out.bodyAsJsonObject().getString("version"));
            assertEquals(false, f.get("/v1/admin/shadow", f.adminKey).bodyAsJsonObject().getBoolean("active"));
            assertEquals(404, f.post("/v1/admin/shadow/rules/rollback", f.adminKey, "{\"version\":\"none\"}")
                .statusCode(), "nothing left to take out");
            assertEquals(404, f.post("/v1/admin/shadow/models/rollback", f.adminKey, null).statusCode());
        } finally {
            f.close();
        }
    }

    /** Posts a rollback body; asserts the status, the error code and the field named; returns the message. */
    private static String refused(final GatewayFixture f, final String kind, final String body, final int status,
        final String error, final String field) throws Exception {
        final HttpResponse<Buffer> answer = f.post("/v1/admin/" + kind + "/rollback", f.adminKey, body);
        final JsonObject json = answer.bodyAsJsonObject();
        assertEquals(status, answer.statusCode(), body + " -> " + answer.bodyAsString());
        assertEquals(error, json.getString("error"), body + " -> " + answer.bodyAsString());
        assertEquals(field, json.getString("field"), body + " -> " + answer.bodyAsString());
        return json.getString("message");
    }

    @Test
    void shouldRefuseABadRollbackBodyNamingTheFieldAndChangeNothing() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            assertEquals(200, f.post("/v1/admin/rules", f.adminKey, STRICT).statusCode());
            assertTrue(refused(f, "models", "{\"version\":12}", 400, "invalid_field", "version")
                .startsWith("version: expected a string"));
            assertTrue(refused(f, "models", "{\"version\":\"foo\"}", 400, "invalid_field", "version")
                .contains("expected \"none\""));
            assertTrue(refused(f, "rules", "{\"version\":\"none\"}", 400, "invalid_field", "version")
                .startsWith("version: the rule set cannot be removed"));
            for (final String index : new String[] {"1e400", "-1", "0", "2857355842682884.5", "99999999999999999999",
                "\"3\"", "true"}) {
                assertTrue(refused(f, "rules", "{\"journalIndex\":" + index + "}", 400, "invalid_field",
                    "journalIndex").contains("journal index (a positive whole number)"), index);
            }
            final long live = versions(f, "rules").getJsonObject(1).getLong("journalIndex");
            assertTrue(refused(f, "rules", "{\"journalIndex\":" + live + ",\"journalIndex\":" + live + "}", 400,
                "invalid_field", "journalIndex").contains("appears more than once"));
            assertTrue(refused(f, "rules", "{\"jounalIndex\":1}", 400, "invalid_field", "jounalIndex")
                .startsWith("jounalIndex: unknown field"));
            refused(f, "rules", "{", 400, "invalid_json", "$");
            refused(f, "rules", "{\"journalIndex\":1} x", 400, "invalid_json", "$");
            assertTrue(refused(f, "rules", "{\"journalIndex\":123456789}", 404, "not_found", null)
                .startsWith("no version at journal index 123456789"));
            assertEquals(2, versions(f, "rules").size(), "nothing changed");
            assertEquals("strict@7", f.post("/v1/score", f.scoreKey, txn("r-1", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("ruleSetVersion"));
        } finally {
            f.close();
        }
    }

    @Test
    void shouldListTheFirstHundredProblemsOfAGarbageUploadWithTheirCount() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final StringBuilder garbage = new StringBuilder();
            final Random random = new Random(5);
            while (garbage.length() < 60_000) {
                garbage.append(random.nextInt(30) == 0 ? '\n' : (char) (33 + random.nextInt(94)));
            }
            final HttpResponse<Buffer> rejected = f.post("/v1/admin/rules", f.adminKey, garbage.toString());
            assertEquals(400, rejected.statusCode());
            final JsonObject body = rejected.bodyAsJsonObject();
            assertEquals(100, body.getJsonArray("problems").size());
            assertTrue(body.getInteger("problemCount") > 100, body.encode().substring(0, 300));
            assertTrue(body.getString("message").contains(body.getInteger("problemCount") + " problems; the first "
                + "100 are listed"), body.getString("message"));
            assertTrue(rejected.body().length() < 20_000, "answered " + rejected.body().length() + " bytes");
        } finally {
            f.close();
        }
    }

    @Test
    void shouldAnswerAnEmptyUploadWith400AndLogNoStackTrace() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final String logged = LogCapture.of(() -> {
                for (final String path : new String[] {"/v1/admin/rules", "/v1/admin/models"}) {
                    for (final String body : new String[] {null, "", " \n"}) {
                        final HttpResponse<Buffer> empty = f.post(path, f.adminKey, body);
                        assertEquals(400, empty.statusCode(), path + " with " + body);
                        assertTrue(empty.bodyAsJsonObject().getString("message").startsWith("the body is empty"),
                            empty.bodyAsString());
                    }
                }
            });
            assertTrue(!logged.contains("Exception") && !logged.contains("\tat "), "no stack trace:\n" + logged);
            assertEquals("invalid_rules", f.post("/v1/admin/rules", f.adminKey, "").bodyAsJsonObject()
                .getString("error"));
            assertEquals("invalid_model", f.post("/v1/admin/models", f.adminKey, "").bodyAsJsonObject()
                .getString("error"));
            assertEquals("default@2", f.post("/v1/score", f.scoreKey, txn("e-1", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("ruleSetVersion"), "the live rule set stays");
        } finally {
            f.close();
        }
    }

    @Test
    void shouldKeepEachVersionToOneContent() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final HttpResponse<Buffer> first = f.post("/v1/admin/rules", f.adminKey, STRICT);
            assertEquals(200, first.statusCode(), first.bodyAsString());
            final long index = first.bodyAsJsonObject().getLong("journalIndex");

            final HttpResponse<Buffer> again = f.post("/v1/admin/rules", f.adminKey, STRICT);
            assertEquals(200, again.statusCode(), "the same content again is fine");
            assertEquals(index, again.bodyAsJsonObject().getLong("journalIndex"));
            assertEquals(true, again.bodyAsJsonObject().getBoolean("unchanged"));

            final String other = STRICT.replace("review 10 decline 20", "review 100 decline 200");
            final HttpResponse<Buffer> conflict = f.post("/v1/admin/rules", f.adminKey, other);
            assertEquals(409, conflict.statusCode(), conflict.bodyAsString());
            assertEquals("version_conflict", conflict.bodyAsJsonObject().getString("error"));
            assertTrue(conflict.bodyAsJsonObject().getString("message").startsWith("strict@7 is already taken"),
                conflict.bodyAsString());
            assertEquals(2, versions(f, "rules").size(), "default@2 and strict@7, once each");

            assertEquals(200, f.post("/v1/admin/rules", f.adminKey, other.replace("version 7", "version 8"))
                .statusCode(), "a new version for the new content");
            final HttpResponse<Buffer> back = f.post("/v1/admin/rules", f.adminKey, STRICT);
            assertEquals(200, back.statusCode(), "an earlier version's own content makes it live again");
            assertEquals("strict@7", f.post("/v1/score", f.scoreKey, txn("v-1", T0, "c", "k", "1"))
                .bodyAsJsonObject().getString("ruleSetVersion"));
            assertEquals(4, versions(f, "rules").size());

            final String model = "ecap-model 1\nname m\nversion 1\ntype logistic\nfeatures txn.amount_usd\n"
                + "intercept 0\nweights 0.01\n";
            assertEquals(200, f.post("/v1/admin/models", f.adminKey, model).statusCode());
            assertEquals(409, f.post("/v1/admin/models", f.adminKey, model.replace("0.01", "0.02")).statusCode(),
                "models too");
        } finally {
            f.close();
        }
    }

    private static JsonArray versions(final GatewayFixture f, final String kind) throws Exception {
        return f.get("/v1/admin/" + kind, f.adminKey).bodyAsJsonObject().getJsonArray("versions");
    }
}

package io.ecap.gateway.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.model.LabelSource;
import io.ecap.model.LabelValue;
import io.ecap.model.Outcome;
import io.ecap.model.binary.LabelFlyweight;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case API against a real PostgreSQL, a real engine and a real gateway: cases scored through {@code /v1/score},
 * written by the case writer, then listed, filtered, paged, read, assigned, commented on and resolved over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseApiTest {
    private static final int SCORED = 36;

    @TempDir
    static Path dir;
    static Postgres postgres;
    static CaseApiFixture f;
    /** The cases opened (REVIEW and DECLINE), as the test expects them: oldest first. */
    static List<JsonObject> cases;

    @BeforeAll
    static void start() throws Exception {
        cases = new ArrayList<>();
        postgres = Postgres.start(dir.resolve("pg"));
        postgres.createDatabase("api");
        f = new CaseApiFixture(dir.resolve("service"), postgres.url("api"));
        for (int i = 0; i < SCORED; i++) {
            final JsonObject txn = txn(i);
            final JsonObject decision = f.score(txn);
            if (!decision.getString("decision").equals("APPROVE")) {
                cases.add(txn.copy().put("journalIndex", decision.getLong("journalIndex"))
                    .put("decision", decision.getString("decision")).put("score", decision.getInteger("score")));
            }
        }
        assertEquals(24, cases.size(), "two thirds of the stream open a case");
        f.awaitCases();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
        postgres.close();
    }

    static JsonObject txn(final int i) {
        return new JsonObject().put("txnId", "t-" + i).put("ts", ScoringClient.T0 + i * 60_000L)
            .put("customerId", "c-" + i % 4).put("cardId", "card-" + i % 6).put("merchantId", "m-" + (1 + i % 2))
            .put("deviceId", "dev-" + i % 5).put("ip", "10.0.0." + i % 7).put("email", "9f86d0" + i % 3)
            .put("amount", ScoringClient.amount(i)).put("currency", "USD");
    }

    @Test
    @Order(1)
    void shouldListNewestFirstAndPageWithACursorOverEveryCase() throws Exception {
        final List<Long> expected = expected(c -> true);
        assertEquals(expected, pages("", 5, f.analyst), "5 pages of 5 and the rest, none missing or repeated");
        assertEquals(expected, pages("", 500, f.analyst), "one page");
        final JsonObject first = page("/v1/cases", f.analyst);
        assertEquals(24, first.getJsonArray("cases").size(), "the default limit (50) holds them all");
        assertTrue(first.getValue("nextCursor") == null);
        final JsonObject newest = first.getJsonArray("cases").getJsonObject(0);
        final JsonObject last = cases.get(cases.size() - 1);
        assertEquals(last.getLong("journalIndex"), newest.getLong("journalIndex"));
        assertEquals(last.getString("txnId"), newest.getString("txnId"));
        assertEquals("OPEN", newest.getString("status"));
        assertEquals(last.getString("amount"), newest.getString("amount"));
        assertEquals(last.getString("email"), newest.getString("email"));
        assertEquals(last.getString("merchantId"), newest.getString("merchantId"));
    }

    @Test
    @Order(2)
    void shouldFilterOnEveryField() throws Exception {
        assertEquals(expected(c -> c.getString("decision").equals("DECLINE")), pages("&decision=DECLINE", 5,
            f.analyst));
        assertEquals(expected(c -> true), pages("&decision=review,DECLINE&status=OPEN", 7, f.analyst));
        assertEquals(List.of(), pages("&status=IN_REVIEW,LEGITIMATE", 5, f.analyst));
        assertEquals(expected(c -> c.getString("merchantId").equals("m-1")), pages("&merchant=m-1", 5, f.analyst));
        assertEquals(expected(c -> c.getInteger("score") >= 20), pages("&minScore=20", 5, f.analyst));
        assertEquals(expected(c -> c.getInteger("score") <= 15), pages("&maxScore=15", 5, f.analyst));
        assertEquals(expected(c -> c.getString("customerId").equals("c-1")), pages("&customer=c-1", 3, f.analyst));
        assertEquals(expected(c -> c.getString("cardId").equals("card-2")), pages("&card=card-2", 3, f.analyst));
        assertEquals(expected(c -> c.getString("deviceId").equals("dev-3")), pages("&device=dev-3", 3, f.analyst));
        assertEquals(expected(c -> c.getString("ip").equals("10.0.0.4")), pages("&ip=10.0.0.4", 3, f.analyst));
        assertEquals(expected(c -> c.getString("ip").equals("10.0.0.4")), pages("&ip=::ffff:10.0.0.4", 3, f.analyst),
            "an address in another form is compared in the stored, canonical one");
        assertEquals(expected(c -> c.getString("email").equals("9f86d01")), pages("&email=9f86d01", 3, f.analyst));
        assertEquals(expected(c -> c.getString("merchantId").equals("m-2") && c.getInteger("score") == 25),
            pages("&merchant=m-2&minScore=25&maxScore=25", 2, f.analyst));
        assertFalse(expected(c -> c.getString("email").equals("9f86d01")).isEmpty());
        assertEquals(expected(c -> true), pages("&openedAfter=2000-01-01T00:00:00Z&openedBefore=2999-01-01T00:00:00"
            + "%2B02:00", 10, f.analyst));
        assertEquals(List.of(), pages("&openedAfter=2999-01-01T00:00:00Z", 10, f.analyst));
    }

    @Test
    @Order(3)
    void shouldShowALimitedKeyItsMerchantsCasesOnlyAndAnswer404ForOthers() throws Exception {
        final List<Long> own = expected(c -> c.getString("merchantId").equals("m-2"));
        assertEquals(own, pages("", 4, f.limited));
        assertEquals(own, pages("&merchant=m-2", 4, f.limited));
        assertEquals(List.of(), pages("&merchant=m-1", 4, f.limited), "another merchant asked for by name");
        final long other = expected(c -> c.getString("merchantId").equals("m-1")).get(0);
        for (final HttpResponse<Buffer> hidden : List.of(f.get("/v1/cases/" + other, f.limited),
            f.post("/v1/cases/" + other + "/assign", f.limited, "{\"assignee\":\"lim\"}"),
            f.post("/v1/cases/" + other + "/comments", f.limited, "{\"text\":\"mine?\"}"),
            f.post("/v1/cases/" + other + "/resolve", f.limited, "{\"resolution\":\"FRAUD\"}"))) {
            assertEquals(404, hidden.statusCode(), hidden.bodyAsString());
            assertEquals("not_found", hidden.bodyAsJsonObject().getString("error"));
        }
        assertEquals(404, f.get("/v1/cases/1", f.limited).statusCode(), "no case there: the same answer");
        assertEquals(200, f.get("/v1/cases/" + other, f.analyst).statusCode(), "it exists");
        assertEquals(200, f.get("/v1/cases/" + own.get(0), f.limited).statusCode());
        assertEquals(List.of(), postgres.rows("api", "SELECT id FROM ecap_case_audit WHERE journal_index = " + other),
            "nothing changed");
        assertEquals(403, f.get("/v1/cases", f.scorer).statusCode(), "a score key is no analyst");
        assertEquals(401, f.get("/v1/cases", null).statusCode());
    }

    @Test
    @Order(4)
    void shouldAssignCommentAndResolveAuditingEachAndJournalTheLabel() throws Exception {
        final JsonObject chosen = cases.get(2);
        final long index = chosen.getLong("journalIndex");
        final String path = "/v1/cases/" + index;
        final JsonObject assigned = ok(f.post(path + "/assign", f.analyst, "{\"assignee\":\"bob\"}"), 200);
        assertEquals("IN_REVIEW", assigned.getString("status"));
        assertEquals("bob", assigned.getString("assignee"));
        ok(f.post(path + "/comments", f.analyst, "{\"text\":\"same card as last week's chargeback\\nchecking\"}"),
            201);
        final JsonObject resolved = ok(f.post(path + "/resolve", f.analyst,
            "{\"resolution\":\"FRAUD\",\"note\":\"customer confirmed\"}"), 200);
        assertEquals("CONFIRMED_FRAUD", resolved.getString("status"));
        final long labelIndex = resolved.getLong("labelJournalIndex");

        try (JournalReader reader = f.engine.journal().reader()) {
            assertTrue(reader.read(labelIndex), "the label is journaled at " + labelIndex);
            assertEquals(EntryType.LABEL, reader.type());
            final LabelFlyweight label = new LabelFlyweight();
            label.wrapForDecode(reader.buffer(), 0, reader.length());
            assertEquals(chosen.getString("txnId"), label.txnId());
            assertEquals(LabelValue.FRAUD, label.label());
            assertEquals(LabelSource.ANALYST, label.source());
        }

        final JsonObject found = ok(f.get(path, f.analyst), 200);
        assertEquals("CONFIRMED_FRAUD", found.getString("status"));
        assertEquals("bob", found.getString("assignee"));
        assertNotNull(found.getString("updatedAt"));
        assertEquals(chosen.getString("txnId"), found.getJsonObject("entry").getJsonObject("decision")
            .getString("txnId"));
        assertFalse(found.getJsonObject("entry").getJsonObject("decision").getJsonArray("reasons").isEmpty(),
            "the decision's reasons");
        assertEquals(chosen.getString("cardId"), found.getJsonObject("entry").getJsonObject("transaction")
            .getString("cardId"));
        final JsonArray comments = found.getJsonArray("comments");
        assertEquals(1, comments.size());
        assertEquals("ann", comments.getJsonObject(0).getString("author"));
        assertEquals("same card as last week's chargeback\nchecking", comments.getJsonObject(0).getString("text"));
        final JsonArray audit = found.getJsonArray("audit");
        assertEquals(List.of("assign", "comment", "resolve"), audit.stream()
            .map(a -> ((JsonObject) a).getString("action")).toList());
        assertEquals(labelIndex, audit.getJsonObject(2).getJsonObject("details").getLong("labelJournalIndex"));
        assertEquals(List.of(Arrays.asList("ann", "assign", "bob", null), Arrays.asList("ann", "comment", null, null),
            Arrays.asList("ann", "resolve", null, "FRAUD")), postgres.rows("api", "SELECT actor, action, "
                + "details ->> 'assignee', details ->> 'resolution' FROM ecap_case_audit WHERE journal_index = "
                + index + " ORDER BY id"));

        final HttpResponse<Buffer> again = f.post(path + "/resolve", f.analyst, "{\"resolution\":\"LEGITIMATE\"}");
        assertEquals(409, again.statusCode());
        assertEquals("case_resolved", again.bodyAsJsonObject().getString("error"));
        assertEquals("CONFIRMED_FRAUD", again.bodyAsJsonObject().getString("status"));
        assertTrue(again.bodyAsJsonObject().getString("message").contains("CONFIRMED_FRAUD"));
        assertEquals(409, f.post(path + "/assign", f.analyst, "{\"assignee\":\"eve\"}").statusCode());
        ok(f.post(path + "/comments", f.analyst, "{\"text\":\"closed, noted\"}"), 201);
        assertEquals(4, Integer.parseInt(postgres.rows("api", "SELECT count(*) FROM ecap_case_audit WHERE "
            + "journal_index = " + index).get(0).get(0)), "the refused changes left no audit row");

        final long legit = cases.get(3).getLong("journalIndex");
        final JsonObject cleared = ok(f.post("/v1/cases/" + legit + "/resolve", f.analyst,
            "{\"resolution\":\"LEGITIMATE\"}"), 200);
        assertEquals("LEGITIMATE", cleared.getString("status"), "an OPEN case resolves without an assignee");
        try (JournalReader reader = f.engine.journal().reader()) {
            assertTrue(reader.read(cleared.getLong("labelJournalIndex")));
            final LabelFlyweight label = new LabelFlyweight();
            label.wrapForDecode(reader.buffer(), 0, reader.length());
            assertEquals(LabelValue.LEGIT, label.label());
        }
        assertEquals(List.of(index), ids(page("/v1/cases?status=CONFIRMED_FRAUD", f.analyst)));
        assertEquals(List.of(legit), ids(page("/v1/cases?status=LEGITIMATE", f.analyst)));
    }

    @Test
    @Order(5)
    void shouldRefuseBadInputsNamingTheField() throws Exception {
        final long index = cases.get(5).getLong("journalIndex");
        final String c = "/v1/cases/" + index;
        final String[][] refused = {
            {"/v1/cases?status=CLOSED", null, "status"},
            {"/v1/cases?decision=APPROVE", null, "decision"},
            {"/v1/cases?minScore=high", null, "minScore"},
            {"/v1/cases?maxScore=1001", null, "maxScore"},
            {"/v1/cases?minScore=30&maxScore=20", null, "minScore"},
            {"/v1/cases?limit=0", null, "limit"},
            {"/v1/cases?limit=501", null, "limit"},
            {"/v1/cases?limit=ten", null, "limit"},
            {"/v1/cases?cursor=bm9wZQ", null, "cursor"},
            {"/v1/cases?cursor=!!", null, "cursor"},
            {"/v1/cases?openedAfter=yesterday", null, "openedAfter"},
            {"/v1/cases?sort=score", null, "sort"},
            {"/v1/cases?merchant=m-1&merchant=m-2", null, "merchant"},
            {"/v1/cases?card=4111111111111111", null, "card"},
            {"/v1/cases?customer=has%20space", null, "customer"},
            {"/v1/cases?ip=10.0.0", null, "ip"},
            {"/v1/cases/abc", null, "journalIndex"},
            {"/v1/cases/-5", null, "journalIndex"},
            {c + "/assign", "{\"assignee\":", "$"},
            {c + "/assign", "", "$"},
            {c + "/assign", "[]", "$"},
            {c + "/assign", "{}", "assignee"},
            {c + "/assign", "{\"assignee\":7}", "assignee"},
            {c + "/assign", "{\"assignee\":\"bob\",\"team\":\"x\"}", "team"},
            {c + "/assign", "{\"assignee\":\"bob\",\"assignee\":\"eve\"}", "assignee"},
            {c + "/comments", "{\"text\":\"\"}", "text"},
            {c + "/comments", "{\"text\":\"" + "x".repeat(4001) + "\"}", "text"},
            {c + "/comments", "{\"text\":\"card 4111 1111 1111 1111 used\"}", "text"},
            {c + "/resolve", "{\"resolution\":\"MAYBE\"}", "resolution"},
            {c + "/resolve", "{\"note\":\"no verdict\"}", "resolution"},
            {c + "/resolve", "{\"resolution\":\"FRAUD\",\"note\":\"pan 4111-1111-1111-1111\"}", "note"},
            {"/v1/cases/abc/resolve", "{\"resolution\":\"FRAUD\"}", "journalIndex"},
        };
        for (final String[] r : refused) {
            final HttpResponse<Buffer> answer = r[1] == null ? f.get(r[0], f.analyst) : f.post(r[0], f.analyst, r[1]);
            final String what = r[0] + " " + (r[1] == null ? "" : r[1].substring(0, Math.min(60, r[1].length())));
            assertEquals(400, answer.statusCode(), what + ": " + answer.bodyAsString());
            final JsonObject error = answer.bodyAsJsonObject();
            assertEquals(r[2], error.getString("field"), what + ": " + error);
            assertEquals("$".equals(r[2]) ? "invalid_json" : "invalid_field", error.getString("error"), what);
            assertFalse(answer.bodyAsString().contains("1111 1111") || answer.bodyAsString().contains("1111-1111")
                || answer.bodyAsString().contains("111111111111"), "the card number is not repeated: " + what);
        }
        for (final String odd : List.of("/v1/cases?limit=%zz", "/v1/cases?status=%", "/v1/cases/%zz",
            "/v1/cases/99999999999999999999", "/v1/cases/0",
            "/v1/cases?cursor=" + "A".repeat(3000))) {
            final HttpResponse<Buffer> answer = f.get(odd, f.analyst);
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, odd + ": " + answer.statusCode());
            assertNotNull(answer.bodyAsJsonObject().getString("error"), odd);
        }
        assertEquals(List.of(), postgres.rows("api", "SELECT id FROM ecap_case_audit WHERE journal_index = " + index),
            "nothing changed");
        assertEquals("OPEN", ok(f.get(c, f.analyst), 200).getString("status"));
        ok(f.post(c + "/comments", f.analyst, "{\"text\":\"" + "é".repeat(2000) + "\"}"), 201);
    }

    @Test
    @Order(6)
    void shouldResolveOnceWhenTwoAnalystsResolveTogether() throws Exception {
        final JsonObject chosen = cases.get(7);
        final String path = "/v1/cases/" + chosen.getLong("journalIndex") + "/resolve";
        final List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (final String resolution : List.of("FRAUD", "LEGITIMATE", "FRAUD", "LEGITIMATE")) {
            sent.add(f.web.post(f.gateway.port(), "127.0.0.1", path).putHeader("X-API-Key", f.analyst)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"resolution\":\"" + resolution + "\"}")));
        }
        final List<Integer> statuses = new ArrayList<>();
        for (final io.vertx.core.Future<HttpResponse<Buffer>> answer : sent) {
            statuses.add(CaseApiFixture.await(answer).statusCode());
        }
        assertEquals(List.of(200, 409, 409, 409), statuses.stream().sorted().toList(), "one wins: " + statuses);
        int labels = 0;
        try (JournalReader reader = f.engine.journal().reader()) {
            final LabelFlyweight label = new LabelFlyweight();
            while (reader.next()) {
                if (reader.type() == EntryType.LABEL) {
                    label.wrapForDecode(reader.buffer(), 0, reader.length());
                    labels += label.txnId().equals(chosen.getString("txnId")) ? 1 : 0;
                }
            }
        }
        assertEquals(1, labels, "one label journaled for the transaction");
        assertEquals(List.of(List.of("1")), postgres.rows("api", "SELECT count(*) FROM ecap_case_audit WHERE "
            + "action = 'resolve' AND journal_index = " + chosen.getLong("journalIndex")));
    }

    @Test
    @Order(7)
    void shouldHaveTheServerEndStatementsAndTransactionsTheClientGaveUpOn() throws Exception {
        final CaseDatabase database = CaseDatabase.open(f.vertx, new CaseOptions(postgres.url("api"),
            EnumSet.of(Outcome.REVIEW), 1));
        try {
            assertEquals("10s/20s", CaseApiFixture.await(database.run(pool -> pool.query("SELECT current_setting("
                + "'statement_timeout') || '/' || current_setting('idle_in_transaction_session_timeout')").execute()
                .map(rows -> rows.iterator().next().getString(0)))));
        } finally {
            CaseApiFixture.await(database.close());
        }
    }

    /** The journal indexes of the expected cases that match, newest first. */
    private static List<Long> expected(final Predicate<JsonObject> match) {
        return cases.stream().filter(match).map(c -> c.getLong("journalIndex"))
            .sorted(Comparator.reverseOrder()).toList();
    }

    /** Every page of {@code /v1/cases?limit=N<query>}, following the cursors; the journal indexes in order. */
    private static List<Long> pages(final String query, final int limit, final String key) throws Exception {
        final List<Long> all = new ArrayList<>();
        String cursor = null;
        for (int n = 0; n < 100; n++) {
            final JsonObject page = page("/v1/cases?limit=" + limit + query
                + (cursor == null ? "" : "&cursor=" + cursor), key);
            final List<Long> ids = ids(page);
            assertTrue(ids.size() <= limit, "a page holds at most the limit: " + ids);
            all.addAll(ids);
            cursor = page.getString("nextCursor");
            if (cursor == null) {
                return all;
            }
            assertEquals(limit, ids.size(), "only the last page is short");
        }
        throw new AssertionError("the cursors never ended");
    }

    private static JsonObject page(final String path, final String key) throws Exception {
        return ok(f.get(path, key), 200);
    }

    private static List<Long> ids(final JsonObject page) {
        return page.getJsonArray("cases").stream().map(c -> ((JsonObject) c).getLong("journalIndex")).toList();
    }

    private static JsonObject ok(final HttpResponse<Buffer> response, final int status) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        return response.bodyAsJsonObject();
    }
}

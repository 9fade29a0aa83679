package io.ecap.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.cases.CaseApiFixture;
import io.ecap.gateway.cases.Postgres;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.model.LabelSource;
import io.ecap.model.LabelValue;
import io.ecap.model.binary.LabelFlyweight;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real headless Chromium, driven through the DevTools protocol ({@link Chromium}), against a
 * real gateway, engine and PostgreSQL: log in with an analyst key, work the queue, resolve a case, watch alerts
 * arrive. Screenshots go to {@code gateway/target/console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTest {
    private static final Path SCREENSHOTS = Path.of(System.getProperty("ecap.root", ".."), "gateway", "target",
        "console-screenshots");
    private static final String EVIL = "http://evil.example";

    @TempDir
    static Path dir;
    static Postgres postgres;
    static CaseApiFixture f;
    /** The cases opened by the setup, oldest first: journal index and transaction id. */
    static List<JsonObject> cases;

    @TempDir
    Path profile;
    Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        postgres = Postgres.start(dir.resolve("pg"));
        postgres.createDatabase("console");
        f = new CaseApiFixture(dir.resolve("service"), postgres.url("console"));
        cases = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            final JsonObject decision = f.score(txn("q-" + i, i % 2 == 0 ? "m-1" : "m-2",
                i % 3 == 0 ? "5.00" : i % 3 == 1 ? "150.25" : "1500.00", i));
            if (!"APPROVE".equals(decision.getString("decision"))) {
                cases.add(decision);
            }
        }
        assertEquals(4, cases.size());
        f.awaitCases();
        // what ecap lake publish would have put there for every customer of the stream (PublishTest checks that side)
        postgres.update("console", "CREATE TABLE analytics_customers (customer_id TEXT PRIMARY KEY, segment TEXT, "
            + "rfm TEXT, predicted_clv NUMERIC(28,4), clv_currency TEXT, churn_probability DOUBLE PRECISION, orders "
            + "BIGINT, segment_as_of DATE)");
        for (int i = 0; i < 6; i++) {
            postgres.update("console", "INSERT INTO analytics_customers VALUES ('c-" + i + "', 'Champions', '555', "
                + "812.25, 'USD', 0.62, 9, '2026-11-30')");
        }
        postgres.update("console", "CREATE TABLE analytics_feature_drift (model TEXT, feature TEXT, psi DOUBLE "
            + "PRECISION, band TEXT, current_from DATE, current_to DATE)");
        postgres.update("console", "INSERT INTO analytics_feature_drift VALUES ('fraud-lr@1', 'card.count_1h', 0.31, "
            + "'large', '2026-11-24', '2026-11-30'), ('fraud-lr@1', 'txn.amount_usd', 0.04, 'stable', '2026-11-24', "
            + "'2026-11-30')");
        postgres.update("console", "CREATE TABLE analytics_customer_devices (customer_id TEXT, device_id TEXT, "
            + "payments BIGINT, not_approved BIGINT, first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ)");
        for (int i = 0; i < 6; i++) {
            postgres.update("console", "INSERT INTO analytics_customer_devices VALUES ('c-" + i + "', 'dev-" + i
                + "', 3, 1, '2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z'), ('c-" + i + "', 'old-phone', 7, 0, "
                + "'2025-01-01T00:00:00Z', '2026-09-01T00:00:00Z')");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Chromium.start(f.vertx, profile);
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    static JsonObject txn(final String id, final String merchant, final String amount, final int i) {
        return new JsonObject().put("txnId", id).put("ts", 1_795_500_000_000L + i * 60_000L).put("customerId",
            "c-" + i).put("cardId", "card-" + i).put("merchantId", merchant).put("deviceId", "dev-" + i)
            .put("ip", "10.0.0." + i).put("amount", amount).put("currency", "USD");
    }

    String console() {
        return "http://127.0.0.1:" + f.gateway.port() + "/console/";
    }

    String origin() {
        return "http://127.0.0.1:" + f.gateway.port();
    }

    void logIn(final String key) throws Exception {
        browser.navigate(console());
        browser.waitFor("!document.getElementById('login').hidden");
        browser.fill("#apiKey", key);
        browser.click("#loginButton");
        browser.waitFor("!document.getElementById('app').hidden");
    }

    HttpResponse<Buffer> request(final HttpMethod method, final String path, final MultiMap headers,
        final String body) throws Exception {
        final var request = f.web.request(method, f.gateway.port(), "127.0.0.1", path).putHeaders(headers)
            .followRedirects(false);
        return CaseApiFixture.await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }

    static MultiMap headers(final String... pairs) {
        final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    @Test
    @Order(1)
    void shouldShowNothingWithoutALoginAndTakeTheCookieOnlyFromTheConsolesOwnCalls() throws Exception {
        browser.navigate(console());
        browser.waitFor("!document.getElementById('login').hidden");
        assertTrue((Boolean) browser.evaluate("document.getElementById('app').hidden"));
        assertEquals(401, ((Number) browser.evaluate("fetch('/v1/cases', {headers: {'X-ECAP-Console': '1'}})"
            + ".then(r => r.status)")).intValue(), "the console's data call without a login");
        assertEquals(401, ((Number) browser.evaluate("fetch('/console/session', {headers: {'X-ECAP-Console': '1'}})"
            + ".then(r => r.status)")).intValue());
        browser.screenshot(SCREENSHOTS.resolve("1-login.png"));

        final HttpResponse<Buffer> page = request(HttpMethod.GET, "/console/", headers(), null);
        assertEquals(200, page.statusCode());
        final String csp = page.getHeader("content-security-policy");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", page.getHeader("x-content-type-options"));
        assertTrue(page.getHeader("cache-control").contains("max-age=" + ConsoleRoutes.MAX_AGE_SECONDS),
            page.getHeader("cache-control"));
        assertFalse(page.bodyAsString().contains("<script>"), "no inline script");
        assertEquals(301, request(HttpMethod.GET, "/console", headers(), null).statusCode());

        assertEquals(401, request(HttpMethod.POST, "/console/login", headers("content-type", "application/json"),
            "{\"apiKey\":\"ecap_" + "0".repeat(64) + "\"}").statusCode());
        assertEquals(400, request(HttpMethod.POST, "/console/login", headers("content-type", "application/json"),
            "[1]").statusCode());
        assertEquals(400, request(HttpMethod.POST, "/console/login", headers("content-type", "application/json"),
            "{}").statusCode());
        assertEquals(403, request(HttpMethod.POST, "/console/login", headers("content-type", "application/json",
            "origin", EVIL), new JsonObject().put("apiKey", f.analyst).encode()).statusCode());
        final HttpResponse<Buffer> form = request(HttpMethod.POST, "/console/login", headers("content-type",
            "application/x-www-form-urlencoded", "origin", origin()), "apiKey=" + f.analyst);
        assertEquals(303, form.statusCode(), "a form login (the page without script) goes back to the console");
        assertEquals("/console/", form.getHeader("location"));
        assertTrue(form.getHeader("set-cookie").startsWith(ConsoleAccess.COOKIE + "="));
        final HttpResponse<Buffer> login = request(HttpMethod.POST, "/console/login", headers("content-type",
            "application/json", "origin", origin()), new JsonObject().put("apiKey", f.analyst).encode());
        assertEquals(200, login.statusCode(), login.bodyAsString());
        assertEquals("ann", login.bodyAsJsonObject().getString("name"));
        final String setCookie = login.getHeader("set-cookie");
        final String attributes = setCookie.toLowerCase(java.util.Locale.ROOT);
        assertTrue(attributes.contains("; httponly") && attributes.contains("; samesite=strict")
            && attributes.contains("; path=/") && !attributes.contains("secure"), "not Secure over plain HTTP: "
            + setCookie);
        final String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        final String list = "/v1/cases?limit=1";
        assertEquals(401, request(HttpMethod.GET, list, headers("cookie", cookie), null).statusCode(),
            "a cookie without the console's marker (a cross-site form, a link) does not count");
        assertEquals(401, request(HttpMethod.GET, list, headers("cookie", cookie, "x-ecap-console", "1",
            "origin", EVIL), null).statusCode(), "nor from another origin");
        assertEquals(401, request(HttpMethod.GET, list, headers("cookie", "ecap_session=forged",
            "x-ecap-console", "1"), null).statusCode());
        assertEquals(200, request(HttpMethod.GET, list, headers("cookie", cookie, "x-ecap-console", "1",
            "origin", origin()), null).statusCode());
        assertEquals(403, request(HttpMethod.GET, "/v1/decisions/q-1", headers("cookie", cookie,
            "x-ecap-console", "1"), null).statusCode(), "the session has the key's scopes, no more");

        final WebSocketClient sockets = f.vertx.createWebSocketClient();
        final ExecutionException refused = assertThrows(ExecutionException.class, () -> CaseApiFixture.await(
            sockets.connect(alerts(cookie, EVIL))));
        assertInstanceOf(UpgradeRejectedException.class, refused.getCause());
        assertEquals(401, ((UpgradeRejectedException) refused.getCause()).getStatus(), "a cross-site WebSocket");
        final WebSocket socket = CaseApiFixture.await(sockets.connect(alerts(cookie, origin())));
        CaseApiFixture.await(socket.close());
        CaseApiFixture.await(sockets.close());

        assertEquals(403, request(HttpMethod.POST, "/console/logout", headers("cookie", cookie), null)
            .statusCode(), "a logout needs the marker too");
        assertEquals(204, request(HttpMethod.POST, "/console/logout", headers("cookie", cookie,
            "x-ecap-console", "1"), null).statusCode());
        assertEquals(401, request(HttpMethod.GET, list, headers("cookie", cookie, "x-ecap-console", "1"), null)
            .statusCode(), "logged out");
    }

    WebSocketConnectOptions alerts(final String cookie, final String origin) {
        return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(f.gateway.port()).setURI("/v1/alerts")
            .addHeader("cookie", cookie).addHeader("origin", origin);
    }

    @Test
    @Order(2)
    void shouldLogInListTheQueueAndResolveACaseAsFraud() throws Exception {
        logIn(f.analyst);
        browser.waitFor("document.querySelectorAll('#queueRows tr').length === 4");
        final String queue = browser.text("#queueRows");
        for (final JsonObject c : cases) {
            assertTrue(queue.contains(c.getString("txnId")), queue);
        }
        assertEquals("ann", browser.text("#whoName"));
        browser.screenshot(SCREENSHOTS.resolve("2-queue.png"));

        browser.fill("#fMinScore", "20");
        browser.click("#applyFilters");
        browser.waitFor("document.querySelectorAll('#queueRows tr').length === 2");
        assertTrue(browser.text("#queueRows").contains("DECLINE") && !browser.text("#queueRows").contains("REVIEW"));
        browser.fill("#fMinScore", "");
        browser.click("#applyFilters");
        browser.waitFor("document.querySelectorAll('#queueRows tr').length === 4");

        final JsonObject chosen = cases.stream().filter(c -> c.getString("decision").equals("REVIEW")).findFirst()
            .orElseThrow();
        final long index = chosen.getLong("journalIndex");
        browser.click("#queueRows tr[data-journal-index='" + index + "']");
        browser.waitFor("document.getElementById('caseId').textContent === '" + index + "'"
            + " && document.querySelectorAll('#reasons tr').length > 0");
        assertTrue(browser.text("#reasons").contains("a large amount"), browser.text("#reasons"));
        assertTrue(browser.text("#reasons").contains("150.25"), "the feature value the reason names");
        assertTrue(browser.text("#transaction").contains(chosen.getString("txnId")));
        // the customer beside the case: what the lake published of them, and their review cases
        browser.waitFor("document.querySelectorAll('#customerCases tr').length > 0");
        assertTrue(browser.text("#customerSummary").contains("Champions"), browser.text("#customerSummary"));
        assertTrue(browser.text("#customerSummary").contains("62%"), "the churn risk: " + browser.text(
            "#customerSummary"));
        assertTrue(browser.text("#customerCases").contains(chosen.getString("txnId")), browser.text("#customerCases"));
        // the devices they paid from, the case's own marked
        assertEquals(Boolean.TRUE, browser.evaluate("document.querySelectorAll('#customerDevices tr').length === 2"));
        final String device = "dev-" + chosen.getString("txnId").substring("q-".length());
        assertTrue(browser.text("#customerDevices tr.live").contains(device + " (this case)"),
            browser.text("#customerDevices"));
        assertTrue(browser.text("#customerDevices").contains("old-phone"), browser.text("#customerDevices"));

        browser.click("#assignMe");
        browser.waitFor("document.getElementById('caseSummary').textContent.includes('IN_REVIEW')");
        browser.fill("#commentText", "card looks stolen <b>bold?</b>");
        browser.click("#addComment");
        browser.waitFor("document.querySelectorAll('#comments li').length === 1");
        assertTrue(browser.text("#comments").contains("card looks stolen <b>bold?</b>"), "shown as text");
        assertEquals(Boolean.TRUE, browser.evaluate("document.querySelector('#comments b') === null"),
            "never parsed as HTML");
        browser.click("#resolveFraud");
        browser.waitFor("document.getElementById('caseSummary').textContent.includes('CONFIRMED_FRAUD')");
        browser.waitFor("document.querySelectorAll('#audit tr').length === 3");
        browser.screenshot(SCREENSHOTS.resolve("3-case-resolved.png"));

        final HttpResponse<Buffer> read = f.get("/v1/cases/" + index, f.analyst);
        assertEquals(200, read.statusCode());
        final JsonObject found = read.bodyAsJsonObject();
        assertEquals("CONFIRMED_FRAUD", found.getString("status"));
        assertEquals("ann", found.getString("assignee"));
        final JsonArray audit = found.getJsonArray("audit");
        final JsonObject resolved = audit.getJsonObject(audit.size() - 1);
        assertEquals("resolve", resolved.getString("action"));
        assertEquals("ann", resolved.getString("actor"));
        final long labelIndex = resolved.getJsonObject("details").getLong("labelJournalIndex");
        try (JournalReader reader = f.engine.journal().reader()) {
            assertTrue(reader.read(labelIndex), "the label is journaled at " + labelIndex);
            assertEquals(EntryType.LABEL, reader.type());
            final LabelFlyweight label = new LabelFlyweight();
            label.wrapForDecode(reader.buffer(), 0, reader.length());
            assertEquals(chosen.getString("txnId"), label.txnId());
            assertEquals(LabelValue.FRAUD, label.label());
            assertEquals(LabelSource.ANALYST, label.source());
        }
    }

    @Test
    @Order(3)
    void shouldShowAnAlertLiveWhileATransactionIsScored() throws Exception {
        logIn(f.analyst);
        browser.waitFor("document.getElementById('alertsStatus').dataset.state === 'live'");
        f.score(txn("live-approve", "m-1", "5.00", 10));
        f.score(txn("live-review", "m-1", "150.25", 11));
        browser.waitFor("document.querySelector('#alerts li[data-txn-id=\"live-review\"]') !== null");
        assertFalse(browser.text("#alerts").contains("live-approve"), "an APPROVE is no alert");
        assertTrue(browser.text("#alerts").contains("REVIEW 15"), browser.text("#alerts"));
        // no Redis here: the live figures' panel says why it is empty (LiveFiguresTest has them with Redis)
        browser.waitFor("document.getElementById('liveStatus').textContent.includes('live figures are off')");
        browser.screenshot(SCREENSHOTS.resolve("4-alert.png"));
    }

    @Test
    @Order(4)
    void shouldShowAKeyLimitedToSomeMerchantsOnlyTheirCasesAndAlerts() throws Exception {
        logIn(f.limited);
        browser.waitFor("document.getElementById('alertsStatus').dataset.state === 'live'");
        browser.waitFor("document.querySelectorAll('#queueRows tr').length > 0");
        assertFalse(browser.text("#queueRows").contains("m-1"), browser.text("#queueRows"));
        f.score(txn("other-merchant", "m-1", "150.25", 12));
        f.score(txn("own-merchant", "m-2", "150.25", 13));
        browser.waitFor("document.querySelector('#alerts li[data-txn-id=\"own-merchant\"]') !== null");
        assertFalse(browser.text("#alerts").contains("other-merchant"), browser.text("#alerts"));
        browser.screenshot(SCREENSHOTS.resolve("5-limited.png"));
    }

    @Test
    @Order(5)
    void shouldShowRuleAndModelVersionsLiveAndInTheShadowToAnAdminOnly() throws Exception {
        final HttpResponse<Buffer> shadow = request(HttpMethod.POST, "/v1/admin/shadow/rules", headers("X-API-Key",
            f.lead, "Content-Type", "text/plain"), "ruleset strict version 1\nthresholds review 100 decline 200\n"
            + "rule BIG weight 300\n    when txn.amount_usd > 100\n");
        assertEquals(200, shadow.statusCode(), shadow.bodyAsString());
        f.score(txn("shadowed", "m-1", "150.25", 14));

        logIn(f.lead);
        browser.click("#navVersions");
        browser.waitFor("document.querySelectorAll('#shadowRuleVersions tr.live').length === 1");
        assertTrue(browser.text("#shadowRuleVersions").contains("strict@1"), browser.text("#shadowRuleVersions"));
        assertTrue(browser.text("#shadowRuleVersions").contains("in the shadow"));
        assertTrue(browser.text("#shadowRuleVersions").contains("lead"), "who put it there");
        assertTrue(browser.text("#ruleVersions").contains("default@2"), browser.text("#ruleVersions"));
        assertTrue(browser.text("#modelVersions").contains("none yet"), browser.text("#modelVersions"));
        browser.waitFor("document.getElementById('shadowSummary').textContent.includes('rule set strict@1')");
        assertTrue(browser.text("#shadowSummary").contains("1 decline"), browser.text("#shadowSummary"));
        assertTrue((Boolean) browser.evaluate("document.getElementById('queueView').hidden"));
        browser.waitFor("document.getElementById('driftNote').textContent.includes('analytics scope')");
        browser.screenshot(SCREENSHOTS.resolve("6-versions.png"));
        browser.click("#navQueue");
        browser.waitFor("!document.getElementById('queueView').hidden && document.getElementById('versionsView')"
            + ".hidden");

        browser.click("#logoutButton");
        browser.waitFor("!document.getElementById('login').hidden");
        logIn(f.analyst);
        browser.click("#navVersions");
        browser.waitFor("document.getElementById('versionsError').textContent.includes('admin scope')");
        assertFalse(browser.text("#shadowRuleVersions").contains("strict@1"), "nothing shown without it");

        // the model's feature drift, as the lake published it, to a key that may read the analytics
        browser.click("#logoutButton");
        browser.waitFor("!document.getElementById('login').hidden");
        logIn(f.analytics);
        browser.click("#navVersions");
        browser.waitFor("document.querySelectorAll('#driftRows tr').length === 2");
        assertTrue(browser.text("#driftRows").startsWith("fraud-lr@1card.count_1h0.310"), browser.text("#driftRows"));
        assertTrue((Boolean) browser.evaluate("document.querySelector('#driftRows .bar.large') !== null"));
        assertTrue((Boolean) browser.evaluate("document.querySelector('#driftRows .bar.stable') !== null"));
        browser.screenshot(SCREENSHOTS.resolve("7-drift.png"));
    }
}

package io.ecap.gateway.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.console.Chromium;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's lists page in a real headless Chromium, on a real gateway, engine and Redis: an analyst blocks a card
 * from the page and its next payment is declined; a merchant-limited key is refused the change, and says why.
 */
class ListsConsoleTest {
    private static final Path SCREENSHOTS = Path.of(System.getProperty("ecap.root", ".."), "gateway", "target",
        "console-screenshots");

    @TempDir
    Path dir;

    @Test
    void shouldBlockACardFromThePageSoThatItsNextPaymentIsDeclined() throws Exception {
        try (TestRedis redis = TestRedis.start(dir.resolve("redis"), false);
             ListApiFixture f = new ListApiFixture(dir, redis.url(), 1).ready();
             Chromium browser = Chromium.start(f.vertx, dir.resolve("profile"))) {
            assertEquals("APPROVE", f.score(f.scorer, 1, "c-1", "k-stolen").getString("decision"));
            browser.navigate("http://127.0.0.1:" + f.gateway.port() + "/console/");
            browser.waitFor("!document.getElementById('login').hidden");
            browser.fill("#apiKey", f.analyst);
            browser.click("#loginButton");
            browser.waitFor("!document.getElementById('app').hidden");
            browser.click("#navLists");
            browser.waitFor("!document.getElementById('listEmpty').hidden");

            browser.fill("#lValue", "k-stolen");
            browser.fill("#lReason", "three chargebacks <b>");
            browser.click("#listAddButton");
            browser.waitFor("document.querySelector('#listRows tr[data-value=\"k-stolen\"]') !== null");
            assertTrue(browser.text("#listRows").contains("three chargebacks <b>"), "the reason, shown as text");
            assertTrue(browser.text("#listRows").contains("ann1"), "who added it");
            assertTrue(browser.text("#listsDone").contains("on the block list of cards"), browser.text("#listsDone"));
            browser.screenshot(SCREENSHOTS.resolve("7-lists.png"));

            JsonObject next = null;
            for (int i = 0; i < 100; i++) {
                next = f.score(f.scorer, 10 + i, "c-1", "k-stolen");
                if ("DECLINE".equals(next.getString("decision"))) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals("DECLINE", next.getString("decision"), "the card's next payment: " + next.encode());
            assertEquals("BLOCKLIST_CARD", ListApiFixture.firstReason(next));
            // the live panel (every 5 s): this gateway's recent latency; no review queue without a case database
            browser.waitFor("document.getElementById('liveLatency').textContent.includes('answer p50')");
            assertEquals("", browser.text("#liveQueue"));

            // an IP given in another form is kept canonical; a card number is refused, naming the field
            browser.evaluate("(() => { const s = document.getElementById('lKind'); s.value = 'ip';"
                + " s.dispatchEvent(new Event('change')); })()");
            browser.waitFor("!document.getElementById('listEmpty').hidden");
            browser.fill("#lValue", "::ffff:10.0.0.7");
            browser.click("#listAddButton");
            browser.waitFor("document.querySelector('#listRows tr[data-value=\"10.0.0.7\"]') !== null");
            browser.evaluate("(() => { const s = document.getElementById('lKind'); s.value = 'card';"
                + " s.dispatchEvent(new Event('change')); })()");
            browser.waitFor("document.querySelector('#listRows tr[data-value=\"k-stolen\"]') !== null");
            browser.fill("#lValue", "4111 1111 1111 1111");
            browser.click("#listAddButton");
            browser.waitFor("document.getElementById('listsError').textContent.includes('value')");

            browser.click("#listRows tr[data-value=\"k-stolen\"] button.remove");
            browser.waitFor("document.getElementById('listsDone').textContent.includes('is off the list')");
            browser.waitFor("!document.getElementById('listEmpty').hidden");
            assertEquals(404, f.send(HttpMethod.GET, "/v1/lists/block/card/k-stolen", f.analyst, null).statusCode());

            // a long list comes a page at a time: the first 100 values, then the rest with More
            for (int i = 0; i < 105; i++) {
                assertEquals(201, f.send(HttpMethod.POST, "/v1/lists/block/device", f.analyst,
                    "{\"value\":\"" + String.format("d-%03d", i) + "\"}").statusCode());
            }
            browser.evaluate("(() => { const s = document.getElementById('lKind'); s.value = 'device';"
                + " s.dispatchEvent(new Event('change')); })()");
            browser.waitFor("document.querySelectorAll('#listRows tr').length === 100");
            assertEquals("100 of 105 shown", browser.text("#listCount"));
            assertFalse(browser.text("#listRows").contains("d-100"), "the second page waits for More");
            browser.click("#listMore");
            browser.waitFor("document.querySelectorAll('#listRows tr').length === 105");
            browser.waitFor("document.getElementById('listMore').hidden");
            assertEquals("105 of 105 shown", browser.text("#listCount"));

            browser.click("#logoutButton");
            browser.waitFor("!document.getElementById('login').hidden");
            browser.fill("#apiKey", f.limited);
            browser.click("#loginButton");
            browser.waitFor("!document.getElementById('app').hidden");
            browser.click("#navLists");
            browser.fill("#lValue", "k-other");
            browser.click("#listAddButton");
            browser.waitFor("document.getElementById('listsError').textContent.length > 0");
            assertTrue(browser.text("#listsError").contains("every merchant"), browser.text("#listsError"));
            assertFalse(browser.text("#listRows").contains("k-other"));
        }
    }
}

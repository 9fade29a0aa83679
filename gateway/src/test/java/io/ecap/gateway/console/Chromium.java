package io.ecap.gateway.console;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A headless Chromium driven through the Chrome DevTools Protocol, for the console's browser tests: no chromedriver,
 * no Playwright. It starts {@code chromium --headless=new --remote-debugging-port=0}, reads the DevTools WebSocket
 * address from the line "DevTools listening on ws://..." of its standard error, connects to it with Vert.x's
 * WebSocket client, opens one page and attaches to it (flat sessions: every page command carries the session id).
 * Commands block the calling test thread, up to {@link #TIMEOUT_S} seconds each. {@link #close()} kills the browser.
 */
public final class Chromium implements AutoCloseable {
    /** The browser: {@code ECAP_CHROMIUM}, or Debian's, as for the report's browser test. */
    public static final String BINARY = System.getenv().getOrDefault("ECAP_CHROMIUM", "/usr/bin/chromium");
    static final int TIMEOUT_S = 30;

    private final Process process;
    private final WebSocketClient client;
    private final WebSocket socket;
    private final String sessionId;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();

    private Chromium(final Process process, final WebSocketClient client, final WebSocket socket) throws Exception {
        this.process = process;
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(this::received);
        final String targetId = send(null, "Target.createTarget", new JsonObject().put("url", "about:blank"))
            .getString("targetId");
        this.sessionId = send(null, "Target.attachToTarget", new JsonObject().put("targetId", targetId)
            .put("flatten", true)).getString("sessionId");
        call("Page.enable", new JsonObject());
    }

    /**
     * Starts a browser with its profile in {@code profile}. Without one, the test is skipped and says so, except
     * under {@code ECAP_REQUIRE_CHROMIUM=1} (what {@code .ci/run} sets after installing Chromium), where it fails:
     * CI never skips the browser tests silently, a developer machine without Chromium still builds.
     */
    public static Chromium start(final Vertx vertx, final Path profile) throws Exception {
        if ("1".equals(System.getenv("ECAP_REQUIRE_CHROMIUM")) && !Files.isExecutable(Path.of(BINARY))) {
            fail("no Chromium at " + BINARY + ", and ECAP_REQUIRE_CHROMIUM=1 (.ci/run installs Debian's chromium; did "
                + "it fail?)");
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BINARY)), "no Chromium at " + BINARY + " (install Debian's "
            + "chromium or set ECAP_CHROMIUM): the console's browser test is skipped");
        final Process process = new ProcessBuilder(BINARY, "--headless=new", "--remote-debugging-port=0",
            "--user-data-dir=" + profile, "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-dev-shm-usage", "--window-size=1280,900", "about:blank").redirectOutput(
                ProcessBuilder.Redirect.DISCARD).start();
        try {
            final String url = devToolsUrl(process);
            final WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(64 << 20).setMaxMessageSize(64 << 20));
            final WebSocket socket = await(client.connect(new WebSocketConnectOptions().setAbsoluteURI(url)
                .setAllowOriginHeader(false)));
            return new Chromium(process, client, socket);
        } catch (final Exception | AssertionError e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Reads standard error up to the DevTools line, then keeps draining it on a daemon thread. */
    private static String devToolsUrl(final Process process) throws Exception {
        final BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
            StandardCharsets.UTF_8));
        final CompletableFuture<String> url = new CompletableFuture<>();
        final StringBuilder seen = new StringBuilder();
        final Thread reader = new Thread(() -> {
            try {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    final int at = line.indexOf("DevTools listening on ");
                    if (at >= 0) {
                        url.complete(line.substring(at + "DevTools listening on ".length()).trim());
                    } else if (!url.isDone()) {
                        seen.append(line).append('\n');
                    }
                }
            } catch (final IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new AssertionError("Chromium ended without a DevTools address:\n" + seen));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return url.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private void received(final String text) {
        final JsonObject message = new JsonObject(text);
        final Integer id = message.getInteger("id");
        final CompletableFuture<JsonObject> answer = id == null ? null : waiting.remove(id);
        if (answer == null) {
            return; // an event: the tests wait on the page's state instead
        }
        if (message.containsKey("error")) {
            answer.completeExceptionally(new AssertionError("CDP error: " + message.getJsonObject("error")));
        } else {
            answer.complete(message.getJsonObject("result", new JsonObject()));
        }
    }

    private JsonObject send(final String session, final String method, final JsonObject params) throws Exception {
        final int id = ids.incrementAndGet();
        final CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        final JsonObject message = new JsonObject().put("id", id).put("method", method).put("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        socket.writeTextMessage(message.encode());
        return answer.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** A command to the page; its result. */
    public JsonObject call(final String method, final JsonObject params) throws Exception {
        return send(sessionId, method, params);
    }

    /** Opens {@code url} and waits until its document and deferred scripts are loaded. */
    public void navigate(final String url) throws Exception {
        call("Page.navigate", new JsonObject().put("url", url));
        waitFor("document.readyState === 'complete' && location.href === " + quote(url));
    }

    /** Evaluates a JavaScript expression in the page (a promise is awaited); its value, as JSON allows. */
    public Object evaluate(final String expression) throws Exception {
        final JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
            .put("returnByValue", true).put("awaitPromise", true));
        if (result.containsKey("exceptionDetails")) {
            throw new AssertionError("the page threw on `" + expression + "`: " + result.getJsonObject(
                "exceptionDetails").encode());
        }
        return result.getJsonObject("result").getValue("value");
    }

    /**
     * Waits (up to {@link #TIMEOUT_S} seconds) until a JavaScript condition holds in the page; the page checks it
     * every 50 ms, so the test thread does not sleep.
     */
    public void waitFor(final String condition) throws Exception {
        final String script = "new Promise((resolve) => { const check = () => { let ok = false; try { ok = !!("
            + condition + "); } catch (e) { ok = false; } if (ok) { resolve(true); } else { setTimeout(check, 50); } };"
            + " check(); })";
        try {
            evaluate(script);
        } catch (final java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the page did not come to `" + condition + "` within " + TIMEOUT_S + " s; it "
                + "shows: " + evaluate("document.body ? document.body.innerText : ''"), e);
        }
    }

    /** The text of the first element matching a CSS selector ("" if there is none). */
    public String text(final String selector) throws Exception {
        final Object text = evaluate("(document.querySelector(" + quote(selector) + ") || {}).textContent || ''");
        return String.valueOf(text);
    }

    /** Clicks the first element matching a CSS selector. */
    public void click(final String selector) throws Exception {
        evaluate("document.querySelector(" + quote(selector) + ").click()");
    }

    /** Types a value into the input matching a CSS selector (as a user would, it fires an input event). */
    public void fill(final String selector, final String value) throws Exception {
        evaluate("(() => { const e = document.querySelector(" + quote(selector) + "); e.value = " + quote(value)
            + "; e.dispatchEvent(new Event('input', {bubbles: true})); })()");
    }

    /** Saves a PNG of the page to {@code file}. */
    public void screenshot(final Path file) throws Exception {
        final String data = call("Page.captureScreenshot", new JsonObject().put("format", "png")).getString("data");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    /** A JavaScript string literal of {@code text}. */
    static String quote(final String text) {
        return new io.vertx.core.json.JsonArray().add(text).encode().transform(s -> s.substring(1, s.length() - 1));
    }

    private static <T> T await(final Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** Closes the connection and kills the browser (and waits until it is gone). */
    @Override
    public void close() throws Exception {
        try {
            socket.close();
            client.close();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

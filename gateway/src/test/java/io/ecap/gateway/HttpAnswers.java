package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What every answer of the gateway to a hostile request must look like (docs/API.md, "Errors"): never a 5xx; every
 * 4xx a JSON object with an {@code error} code and a {@code message}, {@code field} when the body is to blame, the
 * headers the status calls for; no stack trace. On a WebSocket stream, every answer is a decision or such an error
 * object, and never one of the 5xx codes.
 *
 * <p>One 5xx is outside the gateway's reach: a request line whose version is neither HTTP/1.0 nor HTTP/1.1 is answered
 * by Vert.x itself with 501 and an empty body, and the connection closed, before any handler of ours runs
 * (docs/RELIABILITY.md, "Fuzzing"). {@code http1x} false allows exactly that.
 */
final class HttpAnswers {
    private static final Set<String> SERVER_FAULTS = Set.of("engine_error", "internal");

    private HttpAnswers() {
    }

    static void check(final String request, final RawHttp.Response r, final boolean head, final boolean http1x) {
        final String what = request + " -> " + r.status() + " " + r.headers() + " " + r.text();
        if (!http1x && r.status() == 501) {
            return;
        }
        assertTrue(r.status() < 500, "a 5xx: " + what);
        assertFalse(r.text().contains("Exception") || r.text().contains("\tat "), "a stack trace: " + what);
        if (r.status() < 400) {
            return;
        }
        if (r.status() == 405) {
            assertNotNull(r.headers().get("allow"), "405 without Allow: " + what);
        }
        if (r.status() == 401) {
            assertNotNull(r.headers().get("www-authenticate"), "401 without WWW-Authenticate: " + what);
        }
        if (head) {
            return;
        }
        assertTrue(r.headers().getOrDefault("content-type", "").startsWith("application/json"), "not JSON: " + what);
        error(what, r.text());
    }

    /** A JSON error object: {@code error}, {@code message}, and {@code field} for the codes that blame the body. */
    static JsonObject error(final String what, final String json) {
        final JsonObject o;
        try {
            o = new JsonObject(json);
        } catch (final DecodeException e) {
            throw new AssertionError("not a JSON object: " + what, e);
        }
        final String code = o.getString("error");
        assertNotNull(code, "no error code: " + what);
        assertFalse(SERVER_FAULTS.contains(code), "a server fault: " + what);
        assertFalse(o.getString("message", "").isBlank(), "no message: " + what);
        if (code.equals("invalid_json") || code.equals("invalid_field")) {
            assertNotNull(o.getString("field"), "no field: " + what);
        }
        if (code.equals("invalid_rules") || code.equals("invalid_model")) {
            assertEquals(o.getJsonArray("problems").isEmpty(), false, "no problems listed: " + what);
        }
        return o;
    }

    /** One answer on /v1/stream: a decision, or an error object. */
    static void streamAnswer(final String what, final String json) {
        final JsonObject o;
        try {
            o = new JsonObject(json);
        } catch (final DecodeException e) {
            throw new AssertionError("not a JSON object: " + what + " -> " + json, e);
        }
        if (!o.containsKey("decision")) {
            error(what + " -> " + json, json);
        }
    }
}

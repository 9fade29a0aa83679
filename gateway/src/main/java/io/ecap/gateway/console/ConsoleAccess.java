package io.ecap.gateway.console;

import io.ecap.gateway.auth.ApiKey;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * When a request may stand on a console session instead of an API key. The session cookie is SameSite=Strict, so a
 * browser sends it only with requests that a page of this origin makes; on top of that, an HTTP request must carry
 * the header {@code X-ECAP-Console: 1} (a cross-site form cannot set a header, and a cross-site script that tries is
 * stopped by the browser's CORS preflight, which the gateway never grants), and a WebSocket handshake (whose headers a
 * page cannot set) must come with an {@code Origin} equal to the gateway's own. Any {@code Origin} sent must be ours.
 */
public final class ConsoleAccess {
    /** The session cookie's name. */
    public static final String COOKIE = "ecap_session";
    /** The same-origin marker the console's pages send with every data call. */
    public static final String MARKER = "x-ecap-console";

    private ConsoleAccess() {
    }

    /**
     * The key of the request's console session, or null: no cookie, no live session, no marker (HTTP) or no
     * same-origin {@code Origin} (WebSocket).
     */
    public static ApiKey sessionKey(final HttpServerRequest request, final ConsoleSessions sessions,
        final boolean webSocket, final long nowMs) {
        final Cookie cookie = request.getCookie(COOKIE);
        if (cookie == null) {
            return null;
        }
        final String origin = request.getHeader("origin");
        final boolean allowed = webSocket ? origin != null && sameOrigin(request)
            : "1".equals(request.getHeader(MARKER)) && (origin == null || sameOrigin(request));
        return allowed ? sessions.use(cookie.getValue(), nowMs) : null;
    }

    /**
     * Whether the request's {@code Origin} names the host and port it was sent to ({@code Host}); the scheme is not
     * compared, so that a proxy ending TLS in front of the gateway does not break the console.
     */
    public static boolean sameOrigin(final HttpServerRequest request) {
        final String origin = request.getHeader("origin");
        final String host = request.getHeader("host");
        if (origin == null || host == null) {
            return false;
        }
        final int slashes = origin.indexOf("://");
        final String scheme = slashes < 0 ? "" : origin.substring(0, slashes);
        return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
            && origin.substring(slashes + 3).equalsIgnoreCase(host);
    }
}

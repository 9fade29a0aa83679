package io.ecap.gateway.auth;

import io.ecap.gateway.GatewayContext;
import io.ecap.gateway.console.ConsoleAccess;
import io.ecap.gateway.http.Replies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Checks the API key of a request ({@code X-API-Key: <key>} or {@code Authorization: Bearer <key>}), its scope and
 * its rate: 401 without a valid key, 403 outside the key's scope, 429 with Retry-After over the rate. A request without
 * a key may stand on a web console session instead, which carries its key's scopes and merchant limits exactly
 * ({@link ConsoleAccess} says when). The key is then available to the next handler as {@link #KEY}.
 */
public final class Authenticator {
    public static final String KEY = "ecap.key";

    private Authenticator() {
    }

    public static Handler<RoutingContext> require(final GatewayContext gateway, final Scope scope) {
        return require(gateway, scope, false);
    }

    /**
     * As {@link #require(GatewayContext, Scope)}; with {@code allowQuery} the key may also come as the query
     * parameter {@code apiKey}, for WebSocket clients (browsers cannot set headers on a WebSocket).
     */
    public static Handler<RoutingContext> require(final GatewayContext gateway, final Scope scope,
        final boolean allowQuery) {
        return requireAny(gateway, allowQuery, scope);
    }

    /** As {@link #require(GatewayContext, Scope, boolean)}, for a route that any one of {@code scopes} opens. */
    public static Handler<RoutingContext> requireAny(final GatewayContext gateway, final boolean allowQuery,
        final Scope... scopes) {
        final String needed = Arrays.stream(scopes).map(Scope::label).collect(Collectors.joining(" or "));
        return ctx -> {
            String presented = presented(ctx);
            if (presented == null && allowQuery) {
                presented = ctx.request().getParam("apiKey");
            }
            final ApiKey key = presented != null ? gateway.keys().find(presented)
                : current(gateway, ConsoleAccess.sessionKey(ctx.request(), gateway.sessions(), allowQuery,
                    System.currentTimeMillis()));
            if (key == null) {
                ctx.response().putHeader("www-authenticate", "Bearer");
                Replies.fail(ctx, 401, "unauthorized", "a valid API key is required (X-API-Key header)");
                return;
            }
            if (Arrays.stream(scopes).noneMatch(key::allows)) {
                Replies.fail(ctx, 403, "forbidden", "this key lacks the scope this route needs: " + needed);
                return;
            }
            final long waitNs = gateway.limiter().acquire(key.sha256(), System.nanoTime());
            if (waitNs > 0) {
                final long seconds = Math.max(1, (waitNs + 999_999_999) / 1_000_000_000L);
                ctx.response().putHeader("retry-after", Long.toString(seconds));
                Replies.fail(ctx, 429, "rate_limited", "too many requests for this key");
                return;
            }
            ctx.put(KEY, key);
            ctx.next();
        };
    }

    /** A session's key as the keys file has it now: null once revoked, with its scopes as they are now. */
    private static ApiKey current(final GatewayContext gateway, final ApiKey sessionKey) {
        return sessionKey == null ? null : gateway.keys().current(sessionKey);
    }

    private static String presented(final RoutingContext ctx) {
        final String header = ctx.request().getHeader("x-api-key");
        if (header != null) {
            return header.trim();
        }
        final String authorization = ctx.request().getHeader("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }
}

package io.ecap.gateway.console;

import io.ecap.gateway.GatewayContext;
import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Scope;
import io.ecap.gateway.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Instant;
import java.util.Locale;

/**
 * The web console: its pages (plain files served from the classpath under {@code /console/}) and its login. A login
 * checks an API key as the API does and starts a {@link ConsoleSessions session} held in an HttpOnly, SameSite=Strict
 * cookie; the pages then call the {@code /v1} routes with that cookie ({@link ConsoleAccess} says when it counts).
 * Every answer of the console carries a strict Content-Security-Policy: scripts and styles from this origin only, no
 * inline script, no framing.
 */
public final class ConsoleRoutes {
    /** Where the console's files are on the classpath. */
    public static final String ROOT = "io/ecap/gateway/console";
    /** How long a browser may keep a console file before asking again (it then revalidates by Last-Modified). */
    public static final long MAX_AGE_SECONDS = 300;
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final ConsoleSessions sessions;
    private final GatewayContext gateway;
    private final Handler<RoutingContext> files = StaticHandler.create(ROOT).setCachingEnabled(true)
        .setMaxAgeSeconds(MAX_AGE_SECONDS).setDirectoryListing(false).setIncludeHidden(false);

    public ConsoleRoutes(final GatewayContext gateway) {
        this.gateway = gateway;
        this.sessions = gateway.sessions();
    }

    /** The headers every console answer carries. */
    public static void secure(final RoutingContext ctx) {
        ctx.response().putHeader("content-security-policy", CSP).putHeader("x-content-type-options", "nosniff")
            .putHeader("x-frame-options", "DENY").putHeader("referrer-policy", "no-referrer");
        ctx.next();
    }

    /** {@code GET /console/*} (and HEAD): the console's files; other methods go on (to a 404). */
    public void files(final RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD) {
            files.handle(ctx);
        } else {
            ctx.next();
        }
    }

    /** {@code GET /console}: the console is at {@code /console/} (its files are named relative to it). */
    public void home(final RoutingContext ctx) {
        // the route "/console" matches "/console/" too: only the path without the slash is sent on
        if ("/console".equals(ctx.request().path())
            && (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD)) {
            ctx.response().setStatusCode(301).putHeader("location", "/console/").end();
        } else {
            ctx.next();
        }
    }

    /**
     * {@code POST /console/login}: {@code {"apiKey": "ecap_..."}} as JSON, or {@code apiKey=...} as a form (then
     * answered with a redirect to the console). 401 for a key that is not ours, 403 from another origin.
     */
    public void login(final RoutingContext ctx) {
        final String origin = ctx.request().getHeader("origin");
        if (origin != null && !ConsoleAccess.sameOrigin(ctx.request())) {
            Replies.fail(ctx, 403, "forbidden", "a console login must come from the console's own origin");
            return;
        }
        final String type = ctx.request().getHeader("content-type");
        final String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        final boolean form = media.equals("application/x-www-form-urlencoded");
        final String presented;
        if (form) {
            presented = ctx.request().getFormAttribute("apiKey");
        } else if (media.equals("application/json")) {
            final JsonObject body = jsonObject(ctx);
            if (body == null) {
                Replies.json(ctx, 400, Replies.error("invalid_json", "expected {\"apiKey\": \"ecap_...\"}")
                    .put("field", "$"));
                return;
            }
            presented = body.getValue("apiKey") instanceof String s ? s : null;
        } else {
            Replies.fail(ctx, 415, "unsupported_media_type", "expected Content-Type: application/json or "
                + "application/x-www-form-urlencoded" + (type == null ? " (there was none)" : " (found " + type + ")"));
            return;
        }
        if (presented == null || presented.isBlank()) {
            Replies.json(ctx, 400, Replies.error("invalid_field", "apiKey: expected the API key").put("field",
                "apiKey"));
            return;
        }
        final ApiKey key = gateway.keys().find(presented.trim());
        if (key == null) {
            Replies.fail(ctx, 401, "unauthorized", "this is not a valid API key");
            return;
        }
        final Cookie old = ctx.request().getCookie(ConsoleAccess.COOKIE);
        if (old != null) {
            sessions.end(old.getValue());
        }
        final long nowMs = System.currentTimeMillis();
        final String id = sessions.start(key, nowMs);
        ctx.response().addCookie(cookie(ctx, id).setMaxAge(ConsoleSessions.LIFETIME_MS / 1000));
        if (form) {
            ctx.response().setStatusCode(303).putHeader("location", "/console/").end();
        } else {
            Replies.json(ctx, 200, describe(key, sessions.endsAtMs(id, nowMs)));
        }
    }

    /** {@code GET /console/session}: who the session stands for (401 without one). */
    public void session(final RoutingContext ctx) {
        final long nowMs = System.currentTimeMillis();
        final ApiKey sessionKey = ConsoleAccess.sessionKey(ctx.request(), sessions, false, nowMs);
        final ApiKey key = sessionKey == null ? null : gateway.keys().current(sessionKey);
        if (key == null) {
            Replies.fail(ctx, 401, "unauthorized", "log in to the console first");
            return;
        }
        final Cookie cookie = ctx.request().getCookie(ConsoleAccess.COOKIE);
        Replies.json(ctx, 200, describe(key, sessions.endsAtMs(cookie.getValue(), nowMs)));
    }

    /** {@code POST /console/logout}: ends the session (if any) and clears the cookie; 204. */
    public void logout(final RoutingContext ctx) {
        if (!"1".equals(ctx.request().getHeader(ConsoleAccess.MARKER))
            || ctx.request().getHeader("origin") != null && !ConsoleAccess.sameOrigin(ctx.request())) {
            Replies.fail(ctx, 403, "forbidden", "a console logout must come from the console's own pages");
            return;
        }
        final Cookie cookie = ctx.request().getCookie(ConsoleAccess.COOKIE);
        if (cookie != null) {
            sessions.end(cookie.getValue());
        }
        final HttpServerResponse response = ctx.response();
        response.addCookie(cookie(ctx, "").setMaxAge(0));
        response.setStatusCode(204).end();
    }

    /** The body as a JSON object, or null if it is empty or not one. */
    private static JsonObject jsonObject(final RoutingContext ctx) {
        try {
            return ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
        } catch (final DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static Cookie cookie(final RoutingContext ctx, final String value) {
        return Cookie.cookie(ConsoleAccess.COOKIE, value).setPath("/").setHttpOnly(true)
            .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL());
    }

    private static JsonObject describe(final ApiKey key, final long endsAtMs) {
        final JsonArray scopes = new JsonArray();
        for (final Scope scope : key.scopes()) {
            scopes.add(scope.label());
        }
        return new JsonObject().put("name", key.name()).put("scopes", scopes)
            .put("merchants", new JsonArray(new java.util.ArrayList<>(key.merchants())))
            .put("endsAt", Instant.ofEpochMilli(endsAtMs).toString());
    }
}

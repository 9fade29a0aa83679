package io.ecap.gateway.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id that ties a request to what the gateway logs about it: the client's {@code X-Request-Id} (1 to 64 letters,
 * digits, '.', '_', ':' or '-'; anything else is refused with 400 {@code invalid_header}), or one made here. Every
 * answer carries it back in the same header; a log line about the request names it ({@code request_id} in the JSON
 * logs), beside the journal index when there is one.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String KEY = "ecap.requestId";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** The first handler of every route. */
    public static void assign(final RoutingContext ctx) {
        final String given = ctx.request().getHeader(HEADER);
        if (given != null && !VALID.matcher(given).matches()) {
            Replies.fail(ctx, 400, "invalid_header", HEADER + ": expected 1 to 64 letters, digits, '.', '_', ':' or "
                + "'-'");
            return;
        }
        final String id = given != null ? given : Long.toHexString(ThreadLocalRandom.current().nextLong()
            | Long.MIN_VALUE);
        ctx.put(KEY, id);
        ctx.response().putHeader(HEADER, id);
        ctx.next();
    }

    /** The request's id, or "-" before {@link #assign} ran (a request refused by Vert.x itself). */
    public static String of(final RoutingContext ctx) {
        final String id = ctx.get(KEY);
        return id == null ? "-" : id;
    }
}

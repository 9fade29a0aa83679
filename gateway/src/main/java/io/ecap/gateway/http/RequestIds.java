package io.ecap.gateway.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The id that ties a request to what the gateway logs about it: the client's {@code X-Request-Id} (1 to 64 letters,
 * digits, '.', '_', ':' or '-'; anything else is refused with 400 {@code invalid_header}), or one made here. Every
 * answer carries it back in the same header; a log line about the request names it ({@code request_id} in the JSON
 * logs), beside the journal index when there is one.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    /** The logger of the line per journaled request ({@code log.requests}; off unless asked for). */
    public static final String JOURNALED_LOGGER = "io.ecap.gateway.http.Requests";
    private static final Logger JOURNALED = org.slf4j.LoggerFactory.getLogger(JOURNALED_LOGGER);
    private static final String KEY = "ecap.requestId";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** The first handler of every route. */
    public static void assign(final RoutingContext ctx) {
        final String given = ctx.request().getHeader(HEADER);
        final boolean valid = given == null || VALID.matcher(given).matches();
        final String id = given != null && valid ? given : Long.toHexString(ThreadLocalRandom.current().nextLong()
            | Long.MIN_VALUE);
        ctx.put(KEY, id);
        ctx.response().putHeader(HEADER, id);
        if (!valid) {
            Replies.json(ctx, 400, Replies.error("invalid_header", HEADER + ": expected 1 to 64 letters, digits, "
                + "'.', '_', ':' or '-'").put("field", HEADER));
            return;
        }
        ctx.next();
    }

    /**
     * Logs a line about the request at warn level, naming its id in the message and, for the JSON logs, in the
     * MDC ({@code request_id}).
     */
    public static void warn(final Logger log, final RoutingContext ctx, final String format, final Object... args) {
        final String id = of(ctx);
        MDC.put("request_id", id);
        try {
            if (log.isWarnEnabled()) {
                log.warn("request " + id + ": " + format, args);
            }
        } finally {
            MDC.remove("request_id");
        }
    }

    /**
     * When {@code log.requests} is on: a line tying the request (or one item of its batch, {@code item} >= 0) to the
     * journal entry it became, with {@code request_id} and {@code journal_index} in the MDC. Off, it costs one check.
     */
    public static void journaled(final RoutingContext ctx, final int item, final long journalIndex,
        final String what) {
        if (!JOURNALED.isInfoEnabled()) {
            return;
        }
        final String id = of(ctx);
        MDC.put("request_id", id);
        MDC.put("journal_index", Long.toString(journalIndex));
        try {
            JOURNALED.info("request {} {} {}{}: {}, journal index {}", id, ctx.request().method(),
                ctx.request().path(), item < 0 ? "" : " item " + item, what, journalIndex);
        } finally {
            MDC.remove("request_id");
            MDC.remove("journal_index");
        }
    }

    /** The request's id, or "-" before {@link #assign} ran (a request refused by Vert.x itself). */
    public static String of(final RoutingContext ctx) {
        final String id = ctx.get(KEY);
        return id == null ? "-" : id;
    }
}

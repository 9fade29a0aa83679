package io.ecap.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long a client may take to send a request ({@code gateway.read-timeout-ms}): from the connection's opening,
 * or from the end of the previous answer on a kept-alive connection, to the last byte of the request's body. A
 * connection that has not delivered a whole request by then is closed, after a 408 {@code request_timeout} answer
 * when its headers are in. Without it, a client that sends part of a request and stops (or trickles it) held its
 * connection, and its slot in the server, for as long as it liked. An idle kept-alive connection is closed after the
 * same time; clients reconnect. While a request is being answered nothing is counted, and a connection that becomes a
 * WebSocket (or speaks HTTP/2) leaves this watch: a stream has its own rules.
 *
 * <p>One per event loop: connections, requests and timers of that loop only, so nothing here is shared.
 */
public final class ReadTimeout {
    private static final Logger LOG = LoggerFactory.getLogger(ReadTimeout.class);

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, Deadline> deadlines = new IdentityHashMap<>();

    public ReadTimeout(final Vertx vertx, final long timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    /** A connection opened: its first request has until the deadline. */
    public void opened(final HttpConnection connection) {
        final Deadline deadline = new Deadline(connection);
        deadlines.put(connection, deadline);
        connection.closeHandler(ignored -> {
            deadline.cancel();
            deadlines.remove(connection);
        });
        deadline.start();
    }

    /** The first handler of every request: its headers are in; its body, if any, must follow before the deadline. */
    public void requestStarted(final RoutingContext ctx) {
        final HttpServerRequest request = ctx.request();
        final Deadline deadline = deadlines.get(request.connection());
        if (deadline != null) {
            if (request.version() == HttpVersion.HTTP_2 || becomesWebSocket(request)) {
                deadline.cancel();
                deadlines.remove(request.connection());
            } else {
                deadline.request = ctx;
                ctx.addEndHandler(ignored -> deadline.answered(ctx));
                if (!hasBody(request)) {
                    deadline.cancel();
                }
            }
        }
        ctx.next();
    }

    /** After the body handler: the whole request is in, and the answer may take what it takes. */
    public void requestRead(final RoutingContext ctx) {
        final Deadline deadline = deadlines.get(ctx.request().connection());
        if (deadline != null) {
            deadline.cancel();
        }
        ctx.next();
    }

    /**
     * A WebSocket handshake is a GET (RFC 6455); any other request that says {@code Upgrade: websocket} stays an HTTP
     * request, and its body stays under the deadline (a POST with that header and a body that never ends held its
     * connection for ever).
     */
    private static boolean becomesWebSocket(final HttpServerRequest request) {
        return request.method() == HttpMethod.GET && "websocket".equalsIgnoreCase(request.getHeader("upgrade"));
    }

    private static boolean hasBody(final HttpServerRequest request) {
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            return false;
        }
        final String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || length != null && !length.equals("0");
    }

    /** The deadline of one connection: a timer running while the server waits for (the rest of) a request. */
    private final class Deadline {
        private final HttpConnection connection;
        private RoutingContext request;
        private long timer = -1;

        Deadline(final HttpConnection connection) {
            this.connection = connection;
        }

        void start() {
            cancel();
            timer = vertx.setTimer(timeoutMs, ignored -> expired());
        }

        void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        /** A request was answered: the next one has until the deadline, counted from now. */
        void answered(final RoutingContext ctx) {
            if (request == ctx) {
                request = null;
                if (deadlines.get(connection) == this) {
                    start();
                }
            }
        }

        private void expired() {
            timer = -1;
            LOG.debug("closing a connection from {}: no whole request within {} ms", connection.remoteAddress(),
                timeoutMs);
            final RoutingContext unfinished = request;
            if (unfinished != null && !unfinished.response().headWritten() && !unfinished.response().closed()) {
                unfinished.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(ignored -> connection.close());
                Replies.fail(unfinished, 408, "request_timeout", "the request did not arrive in full within "
                    + timeoutMs + " ms (gateway.read-timeout-ms)");
            } else {
                connection.close();
            }
        }
    }
}

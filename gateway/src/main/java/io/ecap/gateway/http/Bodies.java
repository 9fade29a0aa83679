package io.ecap.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.agrona.concurrent.UnsafeBuffer;

/** The request body as a buffer the codecs read (empty when there is none). */
public final class Bodies {
    private static final byte[] EMPTY = new byte[0];

    private Bodies() {
    }

    public static UnsafeBuffer of(final RoutingContext ctx) {
        final Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        return new UnsafeBuffer(body == null ? EMPTY : body.getBytes());
    }
}

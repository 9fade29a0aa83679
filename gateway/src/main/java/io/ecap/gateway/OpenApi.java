package io.ecap.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI description of the gateway ({@code openapi.yaml} on the classpath). */
public final class OpenApi {
    private static final Buffer DOCUMENT = load();

    private OpenApi() {
    }

    /** The document's text. */
    public static String text() {
        return DOCUMENT.toString();
    }

    static void serve(final RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/yaml").end(DOCUMENT);
    }

    private static Buffer load() {
        try (InputStream in = OpenApi.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

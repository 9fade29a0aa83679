package io.ecap.gateway;

import io.ecap.gateway.http.InvalidRequests;
import io.ecap.gateway.http.ReadTimeout;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;

/**
 * One event loop of the gateway: its own engine client and codecs, the routes, and a share of the listening port
 * (Vert.x spreads connections over the instances). Parses, checks and translates; never scores, never blocks.
 */
public final class ApiVerticle extends VerticleBase {
    private final GatewayContext gateway;
    private HttpServer server;

    public ApiVerticle(final GatewayContext gateway) {
        this.gateway = gateway;
    }

    @Override
    public Future<?> start() {
        final GatewayConfig config = gateway.config();
        final ReadTimeout readTimeout = new ReadTimeout(vertx, config.readTimeoutMs());
        final Router router = ApiRouter.build(vertx, context, gateway, readTimeout);
        final HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
            .setMaxWebSocketMessageSize(config.bodyLimitBytes())
            .setMaxWebSocketFrameSize(config.frameLimitBytes())
            .setIdleTimeout(120)
            // HTTP/1.1 only: no cleartext HTTP/2 upgrade, whose handler holds a new connection back until its first
            // request is in, so that a client stopping in its headers was never seen (ReadTimeout starts counting
            // when the connection opens)
            .setHttp2ClearTextEnabled(false);
        if (config.tlsCert() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(config.tlsCert().toString()).setKeyPath(config.tlsKey().toString()));
        }
        server = vertx.createHttpServer(options).connectionHandler(readTimeout::opened)
            .invalidRequestHandler(InvalidRequests::answer).requestHandler(router);
        return server.listen();
    }

    /** Stops taking connections and lets requests in flight finish (up to 10 seconds). */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}

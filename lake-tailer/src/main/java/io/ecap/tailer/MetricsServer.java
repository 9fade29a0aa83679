package io.ecap.tailer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} of the lake tailer, in Prometheus' text format ({@code --metrics-port}): the JDK's own HTTP
 * server on one daemon thread, so the tailer's classpath takes nothing more. Anything else is 404.
 */
final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(final HttpServer server) {
        this.server = server;
    }

    static MetricsServer start(final String host, final int port, final TailerStats stats) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/", exchange -> answer(exchange, stats));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "ecap-tailer-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new MetricsServer(server);
    }

    private static void answer(final HttpExchange exchange, final TailerStats stats) throws IOException {
        try (exchange) {
            final boolean metrics = "/metrics".equals(exchange.getRequestURI().getPath());
            final boolean get = "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
            final byte[] body = (metrics && get ? stats.prometheus() : metrics ? "only GET\n" : "not found: /metrics "
                + "is the only path\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", metrics && get ? "text/plain; version=0.0.4; "
                + "charset=utf-8" : "text/plain; charset=utf-8");
            final boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(metrics && get ? 200 : metrics ? 405 : 404, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The port it listens on (the one chosen when asked for 0). */
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.ecap.gateway.lists;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real Redis for the list tests: the one {@code ECAP_TEST_REDIS} names (a URL, {@code redis://host:port}), or else a
 * redis-server process (embedded-redis, its binary in the jar) on a port and a data folder of its own, with an
 * append-only file, so that {@link #stop()} then {@link #start()} brings the same data back, as after an outage.
 * Outage tests need the process: {@link #canStop()}.
 */
final class TestRedis implements AutoCloseable {
    private final String configured = System.getenv("ECAP_TEST_REDIS");
    private final Path dir;
    private final int port;
    private RedisServer server;

    private TestRedis(final Path dir, final int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The configured Redis, or a new process; {@code processOnly} always starts a process (to stop it later). */
    static TestRedis start(final Path dir, final boolean processOnly) throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final TestRedis redis = new TestRedis(dir, port);
        if (processOnly || redis.configured == null || redis.configured.isEmpty()) {
            Files.createDirectories(dir);
            redis.start();
        }
        return redis;
    }

    void start() throws IOException {
        server = RedisServer.newRedisServer().port(port).setting("bind 127.0.0.1").setting("dir " + dir)
            .setting("appendonly yes").setting("appendfsync always").setting("save \"\"").build();
        server.start();
    }

    /** Stops the process; its data stays in its folder. */
    void stop() throws IOException {
        server.stop();
        server = null;
    }

    boolean canStop() {
        return server != null;
    }

    String url() {
        return server != null || configured == null || configured.isEmpty() ? "redis://127.0.0.1:" + port
            : configured;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
    }
}

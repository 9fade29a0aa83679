package io.ecap.stores;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import redis.embedded.RedisServer;

/**
 * A PostgreSQL 14 and a Redis 6.2 on 127.0.0.1, each a process of its own with its files in a folder of its own
 * ({@code postgres}, {@code redis}), kept across restarts: stopping and starting again on the same folder brings the
 * same cases, lists and published tables back. PostgreSQL has a database {@value #DATABASE} for ECAP; Redis writes
 * an append-only file synced every second.
 */
public final class LocalStores implements AutoCloseable {
    /** The database ECAP's cases, lists' history and published analytics go to. */
    public static final String DATABASE = "ecap";

    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final int redisPort;

    private LocalStores(final EmbeddedPostgres postgres, final RedisServer redis, final int redisPort) {
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
    }

    /** Starts both on {@code dir}; a port of 0 takes a free one, a port in use is refused with its name. */
    public static LocalStores start(final Path dir, final int postgresPort, final int redisPort) throws IOException {
        final int pg = port(postgresPort, "--postgres-port");
        final int rd = port(redisPort, "--redis-port");
        Files.createDirectories(dir.resolve("redis"));
        final EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
            .setCleanDataDirectory(false).setPort(pg).start();
        try {
            createDatabase(postgres);
            final RedisServer redis = RedisServer.newRedisServer().port(rd).setting("bind 127.0.0.1")
                .setting("dir " + dir.resolve("redis").toAbsolutePath()).setting("appendonly yes")
                .setting("appendfsync everysec").setting("save \"\"").build();
            redis.start();
            return new LocalStores(postgres, redis, rd);
        } catch (final IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** The URL of ECAP's database, as {@code cases.database-url} takes it (local connections are trusted). */
    public String postgresUrl() {
        return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    /** The URL of Redis, as {@code lists.redis-url} takes it. */
    public String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    private static void createDatabase(final EmbeddedPostgres postgres) throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (r.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (final SQLException e) {
            throw new IOException("PostgreSQL started but the database " + DATABASE + " could not be made: "
                + e.getMessage(), e);
        }
    }

    /** The port to use: the one asked for if it is free on 127.0.0.1, a free one for 0. */
    static int port(final int asked, final String option) throws IOException {
        if (asked < 0 || asked > 65_535) {
            throw new IllegalArgumentException(option + ": expected 0 to 65535, found " + asked);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", asked));
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new IllegalArgumentException(option + ": port " + asked + " on 127.0.0.1 is in use (another "
                + "ecap stores?); 0 takes a free one");
        }
    }

    /** Stops Redis, then PostgreSQL (a fast shutdown: committed data is kept). */
    @Override
    public void close() throws IOException {
        try {
            redis.stop();
        } finally {
            postgres.close();
        }
    }
}

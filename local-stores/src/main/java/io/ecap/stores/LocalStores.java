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

    /**
     * Starts both on {@code dir}; a port of 0 takes a free one, a port in use is refused with its name. Servers left
     * running on {@code dir} by an earlier start whose JVM was killed (so that it could not stop them) are stopped
     * first, each said in {@code notes}; servers of a start still running are a refusal.
     */
    public static LocalStores start(final Path dir, final int postgresPort, final int redisPort,
        final java.util.function.Consumer<String> notes) throws IOException {
        final int pg = port(postgresPort, "--postgres-port");
        int rd = port(redisPort, "--redis-port");
        if (rd == pg) {
            if (redisPort != 0) {
                throw new IllegalArgumentException("--redis-port: " + redisPort + " is PostgreSQL's port too; give "
                    + "each its own");
            }
            rd = port(0, "--redis-port");
        }
        try {
            Files.createDirectories(dir.resolve("redis"));
        } catch (final IOException e) {
            throw new IllegalArgumentException("--data: cannot make " + dir + " (" + Leftovers.reason(e) + ")");
        }
        Leftovers.refuseIfInUse(dir.resolve("postgres"));
        Leftovers.stop(dir.resolve("postgres").resolve("postmaster.pid"), "postgres", notes);
        Leftovers.stop(dir.resolve("redis").resolve("redis.pid"), "redis", notes);
        final EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false).setPort(pg).start();
        } catch (final IOException | RuntimeException e) {
            throw new IOException("PostgreSQL did not start on port " + pg + " with its files in "
                + dir.resolve("postgres") + ": " + e.getMessage(), e);
        }
        try {
            createDatabase(postgres);
            final RedisServer redis = RedisServer.newRedisServer().port(rd).setting("bind 127.0.0.1")
                .setting("dir " + dir.resolve("redis").toAbsolutePath())
                .setting("pidfile " + dir.resolve("redis").resolve("redis.pid").toAbsolutePath())
                .setting("appendonly yes").setting("appendfsync everysec").setting("save \"\"").build();
            try {
                redis.start();
            } catch (final IOException | RuntimeException e) {
                throw new IOException("Redis did not start on port " + rd + " with its files in " + dir.resolve(
                    "redis") + ": " + e.getMessage(), e);
            }
            return new LocalStores(postgres, redis, rd);
        } catch (final IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** {@link #start(Path, int, int, java.util.function.Consumer)} printing its notes. */
    public static LocalStores start(final Path dir, final int postgresPort, final int redisPort) throws IOException {
        return start(dir, postgresPort, redisPort, System.out::println);
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

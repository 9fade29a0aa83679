package io.ecap.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoresTest {
    @TempDir
    Path dir;

    @Test
    void bothServeAndKeepTheirDataAcrossARestart() throws Exception {
        try (LocalStores stores = LocalStores.start(dir, 0, 0)) {
            sql(stores, "CREATE TABLE kept (v TEXT)", "INSERT INTO kept VALUES ('a case')");
            assertEquals("+OK", redis(stores.redisUrl(), "SET ecap:test kept"));
        }
        try (LocalStores stores = LocalStores.start(dir, 0, 0)) {
            assertEquals("a case", sql(stores, "SELECT v FROM kept"), "the database's rows survive a stop");
            assertEquals("$4", redis(stores.redisUrl(), "GET ecap:test"), "Redis's append-only file too");
            assertTrue(stores.postgresUrl().matches("postgresql://postgres@127\\.0\\.0\\.1:\\d+/ecap"),
                stores.postgresUrl());
        }
    }

    @Test
    void refusesAPortInUseNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalStores.start(dir, 0, taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("--redis-port: port " + taken.getLocalPort() + " on 127.0.0.1 is "
                + "in use"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalStores.port(70_000, "--postgres-port"))
            .getMessage().contains("expected 0 to 65535"));
        final int free = LocalStores.port(0, "--postgres-port");
        assertEquals("--redis-port: " + free + " is PostgreSQL's port too; give each its own",
            assertThrows(IllegalArgumentException.class, () -> LocalStores.start(dir, free, free)).getMessage());
    }

    @Test
    void refusesAFolderInUseAndAFolderItCannotMake() throws Exception {
        try (LocalStores running = LocalStores.start(dir, 0, 0)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalStores.start(dir, 0, 0));
            assertTrue(e.getMessage().startsWith("--data: " + dir + " is in use"), e.getMessage());
            assertEquals("ecap", sql(running, "SELECT current_database()"), "the running one is untouched");
        }
        final Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
        assertEquals("--data: cannot make " + file.resolve("stores") + " (Not a directory)",
            assertThrows(IllegalArgumentException.class, () -> LocalStores.start(file.resolve("stores"), 0, 0))
                .getMessage());
    }

    /** Runs the statements in ECAP's database over JDBC, as the service's URL names it; the last one's first value. */
    private static String sql(final LocalStores stores, final String... statements) throws Exception {
        final URI uri = URI.create(stores.postgresUrl());
        String last = null;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
            + uri.getPath(), "postgres", ""); Statement s = c.createStatement()) {
            for (final String statement : statements) {
                if (s.execute(statement)) {
                    try (ResultSet r = s.getResultSet()) {
                        last = r.next() ? r.getString(1) : null;
                    }
                }
            }
        }
        return last;
    }

    /** One inline command to the Redis at {@code url}; the first line of its answer. */
    private static String redis(final String url, final String command) throws Exception {
        final URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            final OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        }
    }
}

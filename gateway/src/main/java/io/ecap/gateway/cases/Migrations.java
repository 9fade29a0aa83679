package io.ecap.gateway.cases;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Brings the case database's schema up to date at start: the files of {@link #FILES}, in order, each applied once, in
 * a transaction of its own that also records it in {@code ecap_schema_version}. Every transaction first takes a
 * transaction-scoped advisory lock, so that two instances starting together apply each file once between them: the
 * second waits, then finds the version recorded. A file that fails rolls back whole and stops the start.
 */
public final class Migrations {
    /** The migration files under {@code db/migration/} on the classpath, oldest first; never edit one once shipped. */
    static final List<String> FILES = List.of("V1__cases.sql", "V2__case_audit.sql", "V3__erasure.sql",
        "V4__erasure_by_kind.sql", "V5__erasure_free_text.sql");

    /** The advisory lock key of ECAP's migrations ("ECAPMIGR" in ASCII). */
    private static final long LOCK_KEY = 0x4543_4150_4D49_4752L;
    private static final String VERSION_TABLE = "CREATE TABLE ecap_schema_version (version integer "
        + "PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";

    private Migrations() {
    }

    /** Applies the files not yet applied; returns how many it applied. */
    public static int apply(final Pool pool, final Duration timeout) {
        int applied = 0;
        for (final String file : FILES) {
            final int version = version(file);
            final String name = file.substring(file.indexOf("__") + 2, file.length() - ".sql".length());
            final String sql = read(file);
            final boolean done = Blocking.await(pool.withTransaction(c -> applyOnce(c, version, name, sql)), timeout,
                "migration " + file);
            applied += done ? 1 : 0;
        }
        return applied;
    }

    private static Future<Boolean> applyOnce(final SqlConnection c, final int version, final String name,
        final String sql) {
        return c.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_KEY))
            // under the lock, so the check and the creation cannot race (IF NOT EXISTS would, and warn every start)
            .compose(locked -> c.preparedQuery("SELECT to_regclass('ecap_schema_version') IS NULL").execute())
            .compose(absent -> absent.iterator().next().getBoolean(0)
                ? c.preparedQuery(VERSION_TABLE).execute().mapEmpty() : Future.succeededFuture())
            .compose(created -> c.preparedQuery("SELECT 1 FROM ecap_schema_version WHERE version = $1")
                .execute(Tuple.of(version)))
            .compose(found -> found.size() > 0 ? Future.succeededFuture(false)
                // a file holds several statements and no parameters: the simple query protocol runs them all
                : c.query(sql).execute()
                    .compose(ran -> c.preparedQuery("INSERT INTO ecap_schema_version (version, name) VALUES ($1, $2)")
                        .execute(Tuple.of(version, name)))
                    .map(true));
    }

    /** {@code V12__name.sql} → 12. */
    static int version(final String file) {
        if (!file.matches("V[0-9]+__[a-z0-9_]+\\.sql")) {
            throw new IllegalStateException("migration file " + file + ": expected V<number>__<name>.sql");
        }
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }

    private static String read(final String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration " + file + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.ecap.gateway.cases;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;

/**
 * The case database as the case writer sees it: one connection, the schema brought up to date on opening, a tailer's
 * position, and one transaction that inserts cases and moves that position together. Blocking: call it from the
 * writer's own thread only. Prepared statements only; the data never becomes SQL text.
 */
final class CaseStore implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final String INSERT_CASE = "INSERT INTO ecap_cases (journal_index, entry) "
        + "VALUES ($1, $2::text::jsonb) ON CONFLICT (journal_index) DO NOTHING";
    private static final String SET_POSITION = "INSERT INTO ecap_tailer_position (name, journal_index) "
        + "VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET journal_index = excluded.journal_index";
    private static final String GET_POSITION = "SELECT journal_index FROM ecap_tailer_position WHERE name = $1";

    private final Pool pool;

    private CaseStore(final Pool pool) {
        this.pool = pool;
    }

    /** Connects and applies the migrations not yet applied; throws {@link CaseStoreException} if it cannot. */
    static CaseStore open(final Vertx vertx, final CaseOptions options) {
        final Pool pool = PgBuilder.pool().using(vertx).connectingTo(options.connectOptions())
            .with(new PoolOptions().setMaxSize(1).setName("ecap-cases"))
            .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
            .build();
        try {
            Migrations.apply(pool, TIMEOUT);
            return new CaseStore(pool);
        } catch (final RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The last journal index the tailer {@code name} committed, or 0 if it never did. */
    long position(final String name) {
        final RowSet<Row> rows = Blocking.await(pool.preparedQuery(GET_POSITION).execute(Tuple.of(name)), TIMEOUT,
            "reading the position of " + name);
        return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
    }

    /**
     * In one transaction: inserts the cases (journal index, entry JSON) that are not there yet and sets the tailer's
     * position to {@code lastIndex}. Returns how many cases were new.
     */
    int write(final List<Tuple> cases, final String name, final long lastIndex) {
        return Blocking.await(pool.withTransaction(c -> insert(c, cases)
            .compose(inserted -> c.preparedQuery(SET_POSITION).execute(Tuple.of(name, lastIndex)).map(inserted))),
            TIMEOUT, "writing cases up to journal index " + Long.toHexString(lastIndex));
    }

    private static Future<Integer> insert(final SqlConnection c, final List<Tuple> cases) {
        if (cases.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return c.preparedQuery(INSERT_CASE).executeBatch(cases).map(result -> {
            int inserted = 0;
            for (RowSet<Row> part = result; part != null; part = part.next()) {
                inserted += part.rowCount();
            }
            return inserted;
        });
    }

    @Override
    public void close() {
        try {
            Blocking.await(pool.close(), Duration.ofSeconds(5), "closing the case database pool");
        } catch (final CaseStoreException e) {
            // the connection is gone either way
        }
    }
}

package io.ecap.gateway.cases;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The case database as the case API sees it: a small pool shared by the event loops, used only asynchronously (the
 * client answers on the calling event loop, which never waits), with prepared statements cached per connection. It
 * connects on first use, so a database that is down at start only makes the case routes answer 503 until it is back;
 * scoring never depends on it. The schema is the case writer's to create ({@link Migrations}); until it has, the
 * routes answer 503 as during an outage.
 */
public final class CaseDatabase {
    /** Connections for the API; the case writer has its own. */
    static final int POOL_SIZE = 4;
    /** Longest a request waits for the database (connection and statements) before it is answered 503. */
    static final long TIMEOUT_MS = 10_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(CaseDatabase.class);

    private final Pool pool;
    private final String url;
    private final AtomicBoolean down = new AtomicBoolean();

    private CaseDatabase(final Pool pool, final String url) {
        this.pool = pool;
        this.url = url;
    }

    /** The pool of {@code cases.database-url}; nothing connects yet. */
    public static CaseDatabase open(final Vertx vertx, final CaseOptions options) {
        final Pool pool = PgBuilder.pool().using(vertx)
            .connectingTo(options.connectOptions().setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(256)
                // the server ends what the client's deadline gives up on: a statement past it, and a transaction
                // left open (its row lock held) by a request that never finished
                .addProperty("statement_timeout", Long.toString(TIMEOUT_MS))
                .addProperty("idle_in_transaction_session_timeout", Long.toString(2 * TIMEOUT_MS)))
            .with(new PoolOptions().setMaxSize(POOL_SIZE).setName("ecap-case-api").setShared(false)
                .setConnectionTimeout((int) TIMEOUT_MS).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(1024))
            .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
            .build();
        return new CaseDatabase(pool, options.redactedUrl());
    }

    /**
     * Runs database work with a deadline; the first failure of an outage is logged once (WARN, naming the problem,
     * never the data), the first success after it too (INFO).
     */
    public <T> Future<T> run(final Function<Pool, Future<T>> work) {
        return work.apply(pool).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).andThen(ar -> {
            if (ar.succeeded() || ar.cause() instanceof CaseRefusal) {
                if (down.compareAndSet(true, false)) {
                    LOG.info("Cases: the case database at {} answers again", url);
                }
            } else if (isUnavailable(ar.cause()) && !undefinedTable(ar.cause()) && down.compareAndSet(false, true)) {
                // a table not there (the lake has not published it yet) is no outage: not logged as one
                LOG.warn("Cases: the case database at {} is unavailable ({}); the case routes answer 503 until it "
                    + "is back", url, ar.cause().getMessage());
            }
        });
    }

    private static boolean undefinedTable(final Throwable failure) {
        return failure instanceof PgException pg && "42P01".equals(pg.getSqlState());
    }

    /**
     * Whether a failure is the database being unavailable (down, unreachable, slow, restarting, its schema not made
     * yet), to be answered 503 and tried again; anything else is a bug, answered 500.
     */
    public static boolean isUnavailable(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                final String state = pg.getSqlState() == null ? "" : pg.getSqlState();
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                    || state.startsWith("40") || state.equals("42P01");
            }
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof ClosedConnectionException) {
                return true;
            }
        }
        return false;
    }

    public Future<Void> close() {
        return pool.close();
    }
}

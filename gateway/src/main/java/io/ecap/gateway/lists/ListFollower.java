package io.ecap.gateway.lists;

import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.model.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the list change stream into the engine: {@code XREAD BLOCK} on a connection of its own, from the stream id
 * of the last change the engine journaled, and each change in turn through the engine's list command (journaled
 * before it applies). The engine ignores a change whose id is not after its last one, so a change read again after a
 * restart is applied once. When Redis is away it logs one line, keeps retrying with a growing delay (up to
 * {@link #MAX_BACKOFF_MS}), logs one line when it is back and catches up; scoring goes on with the lists as they
 * are. An entry the engine could not take (a field that is wrong) is logged, counted and passed over.
 */
public final class ListFollower extends VerticleBase {
    /** How long one XREAD waits for a change: a new change is read at once, this only bounds an idle read. */
    static final long BLOCK_MS = 1_000;
    static final long MIN_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;
    private static final int BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ListFollower.class);

    private final ListOptions options;
    private final EngineRunner engine;
    private final AtomicLong refused = new AtomicLong();
    private Redis redis;
    private RedisConnection connection;
    private String cursor;
    private long backoffMs = MIN_BACKOFF_MS;
    private volatile boolean away;
    private boolean stopped;

    public ListFollower(final ListOptions options, final EngineRunner engine) {
        this.options = options;
        this.engine = engine;
    }

    @Override
    public Future<?> start() {
        redis = Redis.createClient(vertx, options.redisOptions());
        cursor = engine.lastListStreamId();
        connect();
        return Future.succeededFuture();
    }

    /** Stream entries passed over because a field was wrong. */
    public long refused() {
        return refused.get();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().timeout(ListStore.TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
            if (ar.failed()) {
                lost(ar.cause());
                return;
            }
            connection = ar.result();
            if (stopped) {
                connection.close();
                return;
            }
            connection.exceptionHandler(e -> { }); // a failed read reports it
            if (away) {
                LOG.info("Lists: Redis at {} is back; catching up from stream id {}", options.redactedUrl(), cursor);
                away = false;
            }
            backoffMs = MIN_BACKOFF_MS;
            read();
        });
    }

    private void read() {
        if (stopped) {
            return;
        }
        connection.send(Request.cmd(Command.XREAD).arg("COUNT").arg(BATCH).arg("BLOCK").arg(BLOCK_MS)
                .arg("STREAMS").arg(ListKeys.STREAM).arg(cursor))
            .timeout(BLOCK_MS + ListStore.TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .compose(this::applyAll)
            .onSuccess(ignored -> read())
            .onFailure(this::lost);
    }

    /** RESP2: null (nothing new), or [[stream, [[id, [field, value, ...]], ...]]]. */
    private Future<Void> applyAll(final Response reply) {
        if (reply == null || reply.size() == 0) {
            return Future.succeededFuture();
        }
        Future<Void> done = Future.succeededFuture();
        for (final Response entry : reply.get(0).get(1)) {
            done = done.compose(ignored -> apply(entry));
        }
        return done;
    }

    private Future<Void> apply(final Response entry) {
        final String id = entry.get(0).toString();
        final Map<String, String> fields = new HashMap<>();
        final Response pairs = entry.get(1);
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(pairs.get(i).toString(), pairs.get(i + 1).toString());
        }
        final ListChange change;
        try {
            change = ListKeys.change(id, fields);
        } catch (final ValidationException e) {
            refused.incrementAndGet();
            LOG.warn("Lists: stream entry {} passed over: {}", id, e.getMessage());
            cursor = id;
            return Future.succeededFuture();
        }
        return Future.fromCompletionStage(engine.listChange(change), context).<Void>map(index -> {
            cursor = id;
            return null;
        }).onFailure(e -> LOG.error("Lists: the engine did not apply stream entry {} (it is read again after the "
            + "retry delay): {}", id, e.toString()));
    }

    private void lost(final Throwable cause) {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (stopped) {
            return;
        }
        if (!away) {
            away = true;
            LOG.warn("Lists: Redis at {} is unreachable ({}); scoring goes on with the lists as they are; retrying",
                options.redactedUrl(), cause.getMessage());
        }
        vertx.setTimer(backoffMs, id -> connect());
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    /** True while Redis is unreachable. Any thread (a racy read, for metrics and tests). */
    public boolean away() {
        return away;
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        if (connection != null) {
            connection.close();
        }
        return redis.close();
    }
}

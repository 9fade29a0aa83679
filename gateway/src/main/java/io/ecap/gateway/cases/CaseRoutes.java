package io.ecap.gateway.cases;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.http.Bodies;
import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;
import io.ecap.model.json.LabelJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The case API of one event loop ({@code /v1/cases}, scope {@code analyst}): read and check the request, hand it to
 * the database without waiting for it, answer when it does. Without a case database the routes answer 503 naming
 * {@code cases.database-url}; while the database is unavailable, 503 with Retry-After. Not thread-safe: one instance
 * per verticle.
 */
public final class CaseRoutes {
    /** Retry-After of an answer while the case database is unavailable: it reconnects within seconds. */
    static final int RETRY_SECONDS = 5;
    /** Longest a resolve waits for the engine to journal its label (it takes microseconds when the engine runs). */
    static final long LABEL_TIMEOUT_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(CaseRoutes.class);

    private final Gate gate;
    private final Context context;
    private final CaseDatabase database;
    private final LabelJson labels = new LabelJson();
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(256);

    /** Routes over {@code database}, or answering 503 when it is null (cases off). */
    public CaseRoutes(final Gate gate, final Context context, final CaseDatabase database) {
        this.gate = gate;
        this.context = context;
        this.database = database;
    }

    /** {@code GET /v1/cases}: a page of cases, newest first. */
    public void list(final RoutingContext ctx) {
        serve(ctx, 200, c -> {
            final CaseFilter filter = CaseFilter.parse(c.queryParams(), key(c));
            return pool -> CaseReads.page(pool, filter);
        });
    }

    /** {@code GET /v1/cases/:journalIndex}: one case, its comments and audit trail. */
    public void get(final RoutingContext ctx) {
        serve(ctx, 200, c -> {
            final long index = journalIndex(c);
            return pool -> CaseReads.one(pool, index, key(c));
        });
    }

    /** {@code POST /v1/cases/:journalIndex/assign}. */
    public void assign(final RoutingContext ctx) {
        serve(ctx, 200, c -> {
            final long index = journalIndex(c);
            final UnsafeBuffer body = Bodies.of(c);
            final String assignee = CaseBodies.assignee(body, body.capacity());
            return pool -> CaseChanges.assign(pool, index, key(c), assignee);
        });
    }

    /** {@code POST /v1/cases/:journalIndex/comments}. */
    public void comment(final RoutingContext ctx) {
        serve(ctx, 201, c -> {
            final long index = journalIndex(c);
            final UnsafeBuffer body = Bodies.of(c);
            final String text = CaseBodies.comment(body, body.capacity());
            return pool -> CaseChanges.comment(pool, index, key(c), text);
        });
    }

    /** {@code POST /v1/cases/:journalIndex/resolve}: the case resolved and the transaction's label journaled. */
    public void resolve(final RoutingContext ctx) {
        serve(ctx, 200, c -> {
            final long index = journalIndex(c);
            final UnsafeBuffer body = Bodies.of(c);
            final CaseBodies.Resolution resolution = CaseBodies.resolution(body, body.capacity());
            return pool -> CaseChanges.resolve(pool, index, key(c), resolution, this::label);
        });
    }

    /**
     * Journals an analyst's label exactly as {@code POST /v1/labels} does: the same JSON read by the same codec, the
     * same engine command, timed now (the verdict's time). On this verticle's event loop, whose engine link it uses.
     */
    private Future<Long> label(final String txnId, final String label) {
        final Promise<Long> journaled = Promise.promise();
        context.runOnContext(ignored -> {
            final byte[] json = new JsonObject().put("txnId", txnId).put("label", label).put("source", "ANALYST")
                .put("ts", System.currentTimeMillis()).encode().getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer in = new UnsafeBuffer(json);
            final int length;
            try {
                length = labels.parse(in, 0, in.capacity(), message, 0);
            } catch (final RuntimeException e) { // a stored transaction id the label contract refuses: a bug
                journaled.fail(e);
                return;
            }
            final boolean sent = gate.submit(Commands.LABEL, message, 0, length,
                (type, journalIndex, buffer, offset, size) -> {
                    if (type == Commands.RESPONSE_ACCEPTED) {
                        journaled.complete(journalIndex);
                    } else {
                        journaled.fail(new CaseRefusal("label refused", c -> Replies.fail(c, 500, "engine_error",
                            "the engine did not journal the label; the case is unchanged")));
                    }
                });
            if (!sent) {
                journaled.fail(new CaseRefusal("engine busy", gate::notSent));
            }
        });
        // an engine that never answers must not hold the case's row lock and a connection: the transaction rolls back
        return journaled.future().timeout(LABEL_TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(
            e instanceof TimeoutException ? new CaseRefusal("engine silent", c -> Replies.unavailable(c, "saturated",
                "the engine did not answer in time: the case is unchanged (its label may still be journaled); try "
                    + "again")) : e));
    }

    /**
     * Reads the request into its database work ({@code read} throws a {@link ValidationException} naming what is
     * wrong: 400), runs it and answers with its result, or with what its failure means. Cases off come first: nothing
     * else is worth checking then.
     */
    private void serve(final RoutingContext ctx, final int status,
        final Function<RoutingContext, Function<Pool, Future<JsonObject>>> read) {
        if (off(ctx)) {
            return;
        }
        final Function<Pool, Future<JsonObject>> work;
        try {
            work = read.apply(ctx);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        database.run(work).onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (ar.succeeded()) {
                Replies.json(ctx, status, ar.result());
            } else if (ar.cause() instanceof CaseRefusal refusal) {
                refusal.answer(ctx);
            } else if (CaseDatabase.isUnavailable(ar.cause())) {
                // a change that timed out may still commit: the message does not promise that nothing changed
                Replies.unavailable(ctx, "cases_unavailable", "the case database is unavailable or too slow; try "
                    + "again (GET the case to see whether a change that timed out was made)", RETRY_SECONDS);
            } else {
                RequestIds.warn(LOG, ctx, "Cases: {} {} failed: {}", ctx.request().method(),
                    PanMask.mask(ctx.normalizedPath()), ar.cause().getClass().getSimpleName());
                Replies.fail(ctx, 500, "internal", "the request failed inside the gateway");
            }
        });
    }

    /** True (and answered 503) when cases are off: no case database is configured. */
    private boolean off(final RoutingContext ctx) {
        if (database == null) {
            Replies.fail(ctx, 503, "cases_off", "cases are off: no case database is configured (set "
                + "cases.database-url, see docs/CASES.md)");
            return true;
        }
        return false;
    }

    private static long journalIndex(final RoutingContext ctx) {
        final String text = ctx.pathParam("journalIndex");
        if (text == null || !text.matches("[1-9][0-9]{0,18}")) {
            throw new ValidationException("journalIndex", "expected a case's journal index (a positive whole "
                + "number), found '" + CaseFilter.shown(String.valueOf(text)) + "'");
        }
        try {
            return Long.parseLong(text);
        } catch (final NumberFormatException e) {
            throw new ValidationException("journalIndex", "is beyond the largest journal index");
        }
    }

    private static ApiKey key(final RoutingContext ctx) {
        return ctx.get(Authenticator.KEY);
    }
}

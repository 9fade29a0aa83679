package io.ecap.gateway.cases;

import io.ecap.gateway.http.Replies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A case change or read that was refused for a reason the client can act on (no such case, already resolved, the
 * engine did not take the label), carrying its answer. It fails the database transaction, which then rolls back, and
 * is answered at the edge as it says. Expected, so without a stack trace.
 */
final class CaseRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Handler<RoutingContext> answer;

    CaseRefusal(final String what, final Handler<RoutingContext> answer) {
        super(what, null, false, false);
        this.answer = answer;
    }

    void answer(final RoutingContext ctx) {
        answer.handle(ctx);
    }

    /**
     * 404: no such case, or one the key may not see (another merchant's): the two are answered alike, so that a
     * limited key cannot learn which journal indexes hold cases.
     */
    static CaseRefusal notFound(final long journalIndex) {
        return new CaseRefusal("no case", ctx -> Replies.fail(ctx, 404, "not_found", "no case at journal index "
            + journalIndex));
    }

    /** 409: the case is resolved already; nothing changed. */
    static CaseRefusal resolved(final long journalIndex, final String status) {
        return new CaseRefusal("resolved", ctx -> Replies.json(ctx, 409, Replies.error("case_resolved", "case "
            + journalIndex + " is resolved already (status " + status + "); nothing changed")
            .put("status", status)));
    }
}

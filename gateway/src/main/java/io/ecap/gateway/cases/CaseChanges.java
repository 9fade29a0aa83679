package io.ecap.gateway.cases;

import io.ecap.gateway.auth.ApiKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The changes of the case API. Each is one transaction that locks the case's row (so two analysts acting on one case
 * at once are served one after the other, each seeing the other's change), checks that the key may see it (404
 * otherwise, as for no case at all) and that it is not resolved (409), changes it, and writes one audit row naming the
 * key. Resolving also journals a label for the transaction, while the row is locked and before the commit: a case is
 * never resolved without its label. If the commit then fails, the label stays journaled and the case open; resolving
 * it again journals a second label, which the engine takes as it takes any repeated label (the first FRAUD label of
 * a transaction is the only one that changes features).
 */
final class CaseChanges {
    /** Journals a label ({@code FRAUD} or {@code LEGIT}, source ANALYST) for a transaction; its journal index. */
    @FunctionalInterface
    interface Labeler {
        Future<Long> label(String txnId, String label);
    }

    private static final String LOCK = "SELECT status, assignee, txn_id FROM ecap_cases WHERE " + CaseReads.VISIBLE
        + " FOR UPDATE";
    private static final String ASSIGN = "UPDATE ecap_cases SET assignee = $2, updated_at = now(), status = CASE "
        + "WHEN status = 'OPEN' THEN 'IN_REVIEW' ELSE status END WHERE journal_index = $1 RETURNING status";
    private static final String TOUCH = "UPDATE ecap_cases SET updated_at = now() WHERE journal_index = $1";
    private static final String RESOLVE = "UPDATE ecap_cases SET status = $2, updated_at = now() "
        + "WHERE journal_index = $1";
    private static final String AUDIT = "INSERT INTO ecap_case_audit (journal_index, actor, action, details) "
        + "VALUES ($1, $2, $3, $4::text::jsonb) RETURNING id, at";

    private CaseChanges() {
    }

    /** Assigns the case (again); an OPEN case moves to IN_REVIEW. */
    static Future<JsonObject> assign(final Pool pool, final long journalIndex, final ApiKey key,
        final String assignee) {
        return pool.withTransaction(c -> lockOpen(c, journalIndex, key)
            .compose(row -> c.preparedQuery(ASSIGN).execute(Tuple.of(journalIndex, assignee))
                .compose(updated -> audit(c, journalIndex, key, "assign", new JsonObject().put("assignee", assignee)
                    .put("previousAssignee", row.getString("assignee")).put("previousStatus", row.getString("status")))
                    .map(entry -> entry.put("status", updated.iterator().next().getString(0))
                        .put("assignee", assignee)))));
    }

    /** Adds a comment (a resolved case takes comments too: what was learned after). */
    static Future<JsonObject> comment(final Pool pool, final long journalIndex, final ApiKey key, final String text) {
        return pool.withTransaction(c -> lock(c, journalIndex, key)
            .compose(row -> c.preparedQuery(TOUCH).execute(Tuple.of(journalIndex)))
            .compose(touched -> audit(c, journalIndex, key, "comment", new JsonObject().put("text", text))));
    }

    /** Resolves the case and journals its label; 409 if it is resolved already. */
    static Future<JsonObject> resolve(final Pool pool, final long journalIndex, final ApiKey key,
        final CaseBodies.Resolution resolution, final Labeler labeler) {
        return pool.withTransaction(c -> lockOpen(c, journalIndex, key)
            .compose(row -> labeler.label(row.getString("txn_id"), resolution.label())
                .compose(labelIndex -> c.preparedQuery(RESOLVE).execute(Tuple.of(journalIndex, resolution.status()))
                    .compose(updated -> audit(c, journalIndex, key, "resolve", new JsonObject()
                        .put("resolution", resolution.resolution()).put("note", resolution.note())
                        .put("previousStatus", row.getString("status")).put("label", resolution.label())
                        .put("labelJournalIndex", labelIndex)))
                    .map(entry -> entry.put("status", resolution.status()).put("labelJournalIndex", labelIndex)))));
    }

    /** Locks the case's row; 404 if there is none the key may see. */
    private static Future<Row> lock(final SqlConnection c, final long journalIndex, final ApiKey key) {
        return c.preparedQuery(LOCK).execute(CaseReads.visible(journalIndex, key)).compose(rows -> rows.size() == 0
            ? Future.failedFuture(CaseRefusal.notFound(journalIndex)) : Future.succeededFuture(rows.iterator().next()));
    }

    /** As {@link #lock}, and 409 if the case is resolved. */
    private static Future<Row> lockOpen(final SqlConnection c, final long journalIndex, final ApiKey key) {
        return lock(c, journalIndex, key).compose(row -> {
            final String status = row.getString("status");
            return status.equals("OPEN") || status.equals("IN_REVIEW") ? Future.succeededFuture(row)
                : Future.failedFuture(CaseRefusal.resolved(journalIndex, status));
        });
    }

    private static Future<JsonObject> audit(final SqlConnection c, final long journalIndex, final ApiKey key,
        final String action, final JsonObject details) {
        return c.preparedQuery(AUDIT).execute(Tuple.of(journalIndex, key.name(), action, details.encode()))
            .map(rows -> {
                final Row row = rows.iterator().next();
                return new JsonObject().put("journalIndex", journalIndex).put("auditId", row.getLong(0))
                    .put("action", action).put("actor", key.name())
                    .put("at", row.getOffsetDateTime(1).toInstant().toString());
            });
    }
}

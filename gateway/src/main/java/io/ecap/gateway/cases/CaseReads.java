package io.ecap.gateway.cases;

import io.ecap.gateway.auth.ApiKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/** The reads of the case API: a page of cases, and one case with its comments and audit trail. */
final class CaseReads {
    /**
     * The condition that hides another merchant's case from a limited key ({@code $2}: the key's merchants, or null
     * for a key that sees every merchant).
     */
    static final String VISIBLE = "journal_index = $1 AND ($2::text[] IS NULL OR merchant_id = ANY($2::text[]))";
    private static final String ONE = "SELECT entry::text, " + CaseFilter.COLUMNS + " FROM ecap_cases WHERE "
        + VISIBLE;
    private static final String AUDIT = "SELECT id, actor, at, action, details::text FROM ecap_case_audit "
        + "WHERE journal_index = $1 ORDER BY id";

    private CaseReads() {
    }

    /** {@code {"cases": [...], "nextCursor": text or null}}, newest first. */
    static Future<JsonObject> page(final Pool pool, final CaseFilter filter) {
        return pool.preparedQuery(filter.sql()).execute(filter.params()).map(rows -> {
            final JsonArray cases = new JsonArray();
            long last = 0;
            for (final Row row : rows) {
                if (cases.size() == filter.limit()) {
                    return new JsonObject().put("cases", cases).put("nextCursor", CaseCursor.encode(last));
                }
                cases.add(summary(row, 0));
                last = row.getLong("journal_index");
            }
            return new JsonObject().put("cases", cases).putNull("nextCursor");
        });
    }

    /**
     * One case: the fields of a page's case, the entry as journaled ({@code decision} with its reasons and their
     * feature values, {@code transaction}), its comments and its audit trail, oldest first.
     */
    static Future<JsonObject> one(final Pool pool, final long journalIndex, final ApiKey key) {
        return pool.preparedQuery(ONE).execute(visible(journalIndex, key)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(CaseRefusal.notFound(journalIndex));
            }
            final Row row = rows.iterator().next();
            final JsonObject entry = new JsonObject(row.getString(0));
            final JsonObject found = summary(row, 1).put("entry", entry);
            return trail(pool, journalIndex).map(found::mergeIn);
        });
    }

    /** The parameters of {@link #VISIBLE}. */
    static Tuple visible(final long journalIndex, final ApiKey key) {
        return Tuple.tuple().addLong(journalIndex)
            .addArrayOfString(key.limitedToMerchants() ? key.merchants().toArray(new String[0]) : null);
    }

    private static Future<JsonObject> trail(final SqlClient client, final long journalIndex) {
        return client.preparedQuery(AUDIT).execute(Tuple.of(journalIndex)).map((RowSet<Row> rows) -> {
            final JsonArray comments = new JsonArray();
            final JsonArray audit = new JsonArray();
            for (final Row row : rows) {
                final JsonObject details = new JsonObject(row.getString(4));
                final String at = iso(row.getOffsetDateTime(2));
                audit.add(new JsonObject().put("id", row.getLong(0)).put("actor", row.getString(1)).put("at", at)
                    .put("action", row.getString(3)).put("details", details));
                if ("comment".equals(row.getString(3))) {
                    comments.add(new JsonObject().put("id", row.getLong(0)).put("author", row.getString(1))
                        .put("at", at).put("text", details.getString("text")));
                }
            }
            return new JsonObject().put("comments", comments).put("audit", audit);
        });
    }

    /** The columns of {@link CaseFilter#COLUMNS}, starting at column {@code from}. */
    private static JsonObject summary(final Row row, final int from) {
        int c = from;
        return new JsonObject().put("journalIndex", row.getLong(c++)).put("txnId", row.getString(c++))
            .put("decision", row.getString(c++)).put("score", row.getInteger(c++)).put("status", row.getString(c++))
            .put("assignee", row.getString(c++)).put("merchantId", row.getString(c++))
            .put("customerId", row.getString(c++)).put("cardId", row.getString(c++))
            .put("deviceId", row.getString(c++)).put("ip", row.getString(c++)).put("email", row.getString(c++))
            .put("amount", row.getString(c++)).put("currency", row.getString(c++))
            .put("eventTime", iso(row.getOffsetDateTime(c++))).put("openedAt", iso(row.getOffsetDateTime(c++)))
            .put("updatedAt", iso(row.getOffsetDateTime(c)));
    }

    private static String iso(final OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }
}

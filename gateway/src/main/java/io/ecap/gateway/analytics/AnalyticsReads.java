package io.ecap.gateway.analytics;

import io.ecap.model.field.Currencies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The reads of the analytics API over the serving tables {@code ecap lake publish} fills (docs/ANALYTICS.md). Rows
 * become JSON objects column by column: names in camelCase, money and other decimals as exact strings, days as
 * {@code 2026-11-30}, times as ISO-8601 instants.
 */
final class AnalyticsReads {
    static final String CUSTOMERS = "SELECT * FROM analytics_customers WHERE ($1::text IS NULL OR segment = $1) "
        + "AND ($2::float8 IS NULL OR churn_probability >= $2) AND ($3::text IS NULL OR customer_id > $3) "
        + "ORDER BY customer_id LIMIT $4";
    private static final String CUSTOMER = "SELECT * FROM analytics_customers WHERE customer_id = $1";
    /** Every column (a publication made before device ids were published has no {@code device_id}). */
    private static final String ORDERS = "SELECT * FROM analytics_customer_orders WHERE customer_id = $1 "
        + "ORDER BY event_ts DESC";
    private static final String DEVICES = "SELECT device_id, payments, not_approved, first_seen, last_seen FROM "
        + "analytics_customer_devices WHERE customer_id = $1 ORDER BY last_seen DESC, device_id";
    private static final String CHURN_MODEL = "SELECT * FROM analytics_churn_model";
    private static final String CHURN_BASIS = "SELECT * FROM analytics_churn_basis WHERE customer_id = $1";
    private static final String CASE_COUNTS = "SELECT status, count(*) FROM ecap_cases WHERE customer_id = $1 "
        + "GROUP BY status";
    private static final String RECENT_CASES = "SELECT journal_index, txn_id, decision, score, status, amount, "
        + "currency, event_time FROM ecap_cases WHERE customer_id = $1 ORDER BY journal_index DESC LIMIT 5";
    /** PostgreSQL's "undefined table": nothing published yet (or no case table yet). */
    static final String UNDEFINED_TABLE = "42P01";

    private AnalyticsReads() {
    }

    /** {@code {"customers": [...], "next": id}}: a page in customer id order; {@code next} when more may follow. */
    static Future<JsonObject> customers(final Pool pool, final String segment, final Double minChurn,
        final String after, final int limit) {
        return pool.preparedQuery(CUSTOMERS).execute(Tuple.of(segment, minChurn, after, limit + 1)).map(rows -> {
            final JsonArray page = new JsonArray();
            String last = null;
            for (final Row row : rows) {
                if (page.size() == limit) {
                    return new JsonObject().put("customers", page).put("next", last);
                }
                page.add(object(row));
                last = row.getString("customer_id");
            }
            return new JsonObject().put("customers", page);
        });
    }

    /** Every row a query gives: {@code {"<name>": [...]}}. */
    static Future<JsonObject> table(final Pool pool, final String name, final String sql, final Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> new JsonObject().put(name, array(rows)));
    }

    /**
     * The first {@code limit} rows of a query whose last parameter is its LIMIT (asked for one more):
     * {@code {"<name>": [...], "more": true when rows were left out}}.
     */
    static Future<JsonObject> table(final Pool pool, final String name, final String sql, final Tuple params,
        final int limit) {
        return pool.preparedQuery(sql).execute(params.addInteger(limit + 1)).map(rows -> {
            final JsonArray array = new JsonArray();
            for (final Row row : rows) {
                if (array.size() == limit) {
                    return new JsonObject().put(name, array).put("more", true);
                }
                array.add(object(row));
            }
            return new JsonObject().put(name, array).put("more", false);
        });
    }

    /**
     * What is known of one customer: the published analytics (segment, CLV, churn risk), the last orders, the devices
     * they paid from, and the fraud history from the review cases (counts by status, the five newest). Fails with
     * {@link UnknownCustomer} when none of these knows the customer, {@link Unpublished} when nothing is published yet
     * either.
     */
    static Future<JsonObject> customer(final Pool pool, final String id, final ChurnLive live) {
        final Future<JsonObject> analytics = pool.preparedQuery(CUSTOMER).execute(Tuple.of(id))
            .map(rows -> rows.size() == 0 ? new JsonObject() : object(rows.iterator().next()))
            .recover(e -> missingTable(e) ? Future.succeededFuture(null) : Future.failedFuture(e));
        final Future<JsonArray> orders = listOf(pool, ORDERS, id);
        final Future<JsonArray> devices = listOf(pool, DEVICES, id);
        final Future<JsonObject> fraud = fraud(pool, id);
        final Future<JsonObject> churn = live == null ? Future.succeededFuture(null) : liveChurn(pool, id, live);
        return Future.all(analytics, orders, devices, fraud, churn).compose(all -> {
            final JsonObject known = analytics.result();
            final boolean published = known != null;
            final boolean anything = published && !known.isEmpty() || !orders.result().isEmpty()
                || !devices.result().isEmpty() || fraud.result() != null && fraud.result().getLong("cases") > 0
                || churn.result() != null && churn.result().getInteger("purchasesSince", 0)
                    + churn.result().getInteger("notCounted", 0) > 0;
            if (!anything) {
                return Future.failedFuture(published ? new UnknownCustomer() : new Unpublished());
            }
            if (published) {
                known.remove("customerId");
            }
            return Future.succeededFuture(new JsonObject().put("customerId", id).put("published", published)
                .put("analytics", published && !known.isEmpty() ? known : null).put("lastOrders", orders.result())
                .put("devices", devices.result()).put("fraud", fraud.result()).put("churnLive", churn.result()));
        });
    }

    /**
     * The customer's churn risk as of now ({@link LiveChurnScore}): {@code {"ready": true, "probability", ...}};
     * {@code {"ready": false, "modelAsOf"}} while the payments since the model's day are still being read; null without
     * a published model, or when nothing is known of the customer's purchases.
     */
    private static Future<JsonObject> liveChurn(final Pool pool, final String id, final ChurnLive live) {
        return pool.query(CHURN_MODEL).execute().compose(models -> {
            if (models.size() == 0) {
                return Future.succeededFuture(null);
            }
            final LiveChurnScore model = LiveChurnScore.of(raw(models.iterator().next()));
            live.since(model.through());
            if (!live.readyFor(model.through())) {
                return Future.succeededFuture(new JsonObject().put("ready", false)
                    .put("modelAsOf", model.asOf().toString()));
            }
            final java.util.List<ChurnLive.Payment> since = live.paymentsOf(id);
            final long newest = live.newestDay();
            return pool.preparedQuery(CHURN_BASIS).execute(Tuple.of(id)).map(rows -> {
                final JsonObject score = model.score(model.basis(rows.size() == 0 ? null
                    : raw(rows.iterator().next())), since, newest);
                return score == null ? null : new JsonObject().put("ready", true).mergeIn(score);
            });
        }).recover(e -> missingTable(e) ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    /** A row as {@code column: value}, names as stored, days as {@code 2026-11-30}. */
    private static JsonObject raw(final Row row) {
        final JsonObject object = new JsonObject();
        for (int i = 0; i < row.size(); i++) {
            final Object value = row.getValue(i);
            object.put(row.getColumnName(i), value instanceof LocalDate day ? day.toString()
                : value instanceof Numeric decimal ? decimal.doubleValue() : value);
        }
        return object;
    }

    /** The customer's rows of a serving table, without the customer's id; empty when the table is not published. */
    private static Future<JsonArray> listOf(final Pool pool, final String sql, final String id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).map(rows -> {
            final JsonArray out = array(rows);
            for (int i = 0; i < out.size(); i++) {
                out.getJsonObject(i).remove("customerId");
            }
            return out;
        }).recover(e -> missingTable(e) ? Future.succeededFuture(new JsonArray()) : Future.failedFuture(e));
    }

    /** {@code {"cases": n, "byStatus": {...}, "recent": [...]}} from the case table, or null without one. */
    private static Future<JsonObject> fraud(final Pool pool, final String id) {
        return pool.preparedQuery(CASE_COUNTS).execute(Tuple.of(id)).compose(counts -> {
            final JsonObject byStatus = new JsonObject();
            long total = 0;
            for (final Row row : counts) {
                byStatus.put(row.getString(0), row.getLong(1));
                total += row.getLong(1);
            }
            final long cases = total;
            return pool.preparedQuery(RECENT_CASES).execute(Tuple.of(id)).map(recent -> new JsonObject()
                .put("cases", cases).put("byStatus", byStatus).put("recent", array(recent)));
        }).recover(e -> missingTable(e) ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    static boolean missingTable(final Throwable failure) {
        return failure instanceof Unpublished
            || failure instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState());
    }

    /** No serving table, no order and no case names the customer. */
    static final class UnknownCustomer extends RuntimeException {
        UnknownCustomer() {
            super("unknown customer", null, false, false);
        }
    }

    /** Nothing is published yet, and no case names the customer. */
    static final class Unpublished extends RuntimeException {
        Unpublished() {
            super("nothing published", null, false, false);
        }
    }

    private static JsonArray array(final RowSet<Row> rows) {
        final JsonArray array = new JsonArray();
        for (final Row row : rows) {
            array.add(object(row));
        }
        return array;
    }

    private static JsonObject object(final Row row) {
        final JsonObject object = new JsonObject();
        for (int i = 0; i < row.size(); i++) {
            final String column = row.getColumnName(i);
            final Object value = row.getValue(i);
            object.put(camel(column), value instanceof Numeric n ? money(row, column, n) : value(value));
        }
        return object;
    }

    /**
     * A decimal as an exact string: money (a column beside a currency) with its currency's decimal places (159.00 USD,
     * 45.60 PLN, 1500 JPY), rounded half up where the table keeps more (a predicted CLV); any other as stored.
     */
    private static String money(final Row row, final String column, final Numeric value) {
        final java.math.BigDecimal decimal = value.bigDecimalValue();
        if (decimal == null) {
            return value.toString();
        }
        final String currency = currencyOf(row, column);
        if (currency != null) {
            try {
                final int exponent = Currencies.exponentOf(Currencies.numericOf(currency, "currency"));
                return decimal.setScale(exponent, java.math.RoundingMode.HALF_UP).toPlainString();
            } catch (final RuntimeException e) {
                return decimal.toPlainString(); // a currency ECAP does not know: as stored
            }
        }
        return decimal.toPlainString();
    }

    /** The currency of a money column: its own beside it in the customers' table, else the row's {@code currency}. */
    private static String currencyOf(final Row row, final String column) {
        final String own = switch (column) {
            case "monetary" -> "segment_currency";
            case "revenue", "predicted_clv" -> "clv_currency";
            default -> "currency";
        };
        for (final String name : new String[] {own, "currency"}) {
            final int at = row.getColumnIndex(name);
            if (at >= 0 && row.getValue(at) instanceof String code) {
                return code;
            }
        }
        return null;
    }

    private static Object value(final Object value) {
        if (value instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (value instanceof LocalDate || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toString();
        }
        return value;
    }

    /** {@code predicted_clv} → {@code predictedClv}. */
    static String camel(final String column) {
        final StringBuilder out = new StringBuilder(column.length());
        boolean up = false;
        for (int i = 0; i < column.length(); i++) {
            final char c = column.charAt(i);
            if (c == '_') {
                up = out.length() > 0;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }
}

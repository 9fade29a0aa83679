package io.ecap.gateway.cases;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.http.QueryParams;
import io.ecap.model.ValidationException;
import io.ecap.model.field.Ids;
import io.ecap.model.field.IpAddresses;
import io.ecap.model.json.TransactionJson;
import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query of {@code GET /v1/cases}, read strictly from its parameters and turned into one SQL statement: every
 * condition is a fixed fragment with a numbered parameter, so the values never become SQL text and the statement for
 * one set of filters is always the same text (the client prepares it once per connection). A parameter that is
 * unknown, given twice, or not of its form is refused naming it. A key limited to some merchants gets their cases
 * only, whatever it asks.
 *
 * @param sql    the statement: newest first, keyset after the cursor, one row more than the limit (to know whether
 *               there is a next page)
 * @param params its parameters, in order
 * @param limit  the page size asked for
 */
record CaseFilter(String sql, Tuple params, int limit) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final int MAX_SCORE = 1000;

    static final Set<String> STATUSES = Set.of("OPEN", "IN_REVIEW", "CONFIRMED_FRAUD", "LEGITIMATE");
    private static final Set<String> DECISIONS = Set.of("REVIEW", "DECLINE");
    /** Equality searches: parameter → column. */
    private static final Map<String, String> SEARCHES = Map.of("merchant", "merchant_id", "card", "card_id",
        "customer", "customer_id", "device", "device_id", "ip", "ip", "email", "email");
    private static final List<String> PARAMETERS = List.of("status", "decision", "merchant", "card", "customer",
        "device", "ip", "email", "minScore", "maxScore", "openedAfter", "openedBefore", "limit", "cursor");

    static final String COLUMNS = "journal_index, txn_id, decision, score, status, assignee, merchant_id, "
        + "customer_id, card_id, device_id, ip, email, amount::text, currency, event_time, opened_at, updated_at";

    /** Reads the query parameters; throws a {@link ValidationException} naming the parameter that is wrong. */
    static CaseFilter parse(final MultiMap query, final ApiKey key) {
        QueryParams.only(query, PARAMETERS);
        final List<String> where = new ArrayList<>();
        final Tuple params = Tuple.tuple();
        final String status = query.get("status");
        if (status != null) {
            params.addArrayOfString(names(status, STATUSES, "status"));
            where.add("status = ANY($" + params.size() + ")");
        }
        final String decision = query.get("decision");
        if (decision != null) {
            params.addArrayOfString(names(decision, DECISIONS, "decision"));
            where.add("decision = ANY($" + params.size() + ")");
        }
        for (final String name : PARAMETERS) {
            final String value = query.get(name);
            if (value != null && SEARCHES.containsKey(name)) {
                params.addString(search(name, value));
                where.add(SEARCHES.get(name) + " = $" + params.size());
            }
        }
        final int minScore = score(query.get("minScore"), "minScore", 0);
        final int maxScore = score(query.get("maxScore"), "maxScore", MAX_SCORE);
        if (minScore > maxScore) {
            throw new ValidationException("minScore", "is " + minScore + ", above maxScore " + maxScore);
        }
        if (query.get("minScore") != null) {
            params.addInteger(minScore);
            where.add("score >= $" + params.size());
        }
        if (query.get("maxScore") != null) {
            params.addInteger(maxScore);
            where.add("score <= $" + params.size());
        }
        time(query.get("openedAfter"), "openedAfter", "opened_at > $", params, where);
        time(query.get("openedBefore"), "openedBefore", "opened_at < $", params, where);
        if (query.get("cursor") != null) {
            params.addLong(CaseCursor.decode(query.get("cursor")));
            where.add("journal_index < $" + params.size());
        }
        if (key.limitedToMerchants()) {
            params.addArrayOfString(key.merchants().toArray(new String[0]));
            where.add("merchant_id = ANY($" + params.size() + ")");
        }
        final int limit = limit(query.get("limit"));
        params.addInteger(limit + 1);
        final String sql = "SELECT " + COLUMNS + " FROM ecap_cases"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY journal_index DESC LIMIT $" + params.size();
        return new CaseFilter(sql, params, limit);
    }

    /**
     * A search value checked as the transaction's field is, so that what could never have been stored is refused
     * rather than silently found nowhere; an ip is compared in the canonical form transactions are stored in.
     */
    private static String search(final String name, final String value) {
        if (name.equals("ip")) {
            return IpAddresses.canonical(value, name);
        }
        Ids.check(value, name.equals("email") ? TransactionJson.MAX_EMAIL_HASH_LENGTH : Ids.MAX_LENGTH, name);
        CaseText.refuseCardNumber(value, name);
        return value;
    }

    /** A comma-separated list of names out of {@code allowed} (any case). */
    private static String[] names(final String text, final Set<String> allowed, final String field) {
        final List<String> names = new ArrayList<>();
        for (final String part : text.split(",", -1)) {
            final String name = part.trim().toUpperCase(Locale.ROOT);
            if (!allowed.contains(name)) {
                throw new ValidationException(field, "expected one or more of " + new TreeSet<>(allowed)
                    + " separated by commas, found '" + CaseFilter.shown(part) + "'");
            }
            names.add(name);
        }
        return names.toArray(new String[0]);
    }

    private static int score(final String text, final String field, final int absent) {
        return QueryParams.wholeNumber(text, field, 0, MAX_SCORE, absent);
    }

    private static void time(final String text, final String field, final String condition, final Tuple params,
        final List<String> where) {
        if (text == null) {
            return;
        }
        try {
            params.addOffsetDateTime(OffsetDateTime.parse(text));
        } catch (final DateTimeParseException e) {
            throw new ValidationException(field, "expected an ISO-8601 time with its zone, such as "
                + "2026-11-24T10:15:00Z (percent-encode a '+' as %2B), found '" + shown(text) + "'");
        }
        where.add(condition + params.size());
    }

    private static int limit(final String text) {
        return QueryParams.wholeNumber(text, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    }

    /** A value as it may be repeated in a message: short, and with any card number masked. */
    static String shown(final String text) {
        return QueryParams.shown(text);
    }
}

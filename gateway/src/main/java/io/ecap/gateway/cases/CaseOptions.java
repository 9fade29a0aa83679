package io.ecap.gateway.cases;

import io.ecap.model.Outcome;
import io.vertx.pgclient.PgConnectOptions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where review cases go and which decisions open one (settings {@code cases.*}, see config/ecap.properties and
 * docs/CASES.md).
 *
 * @param databaseUrl the PostgreSQL database, {@code postgresql://user:password@host:port/database}
 * @param decisions   the outcomes that open a case: REVIEW, or REVIEW and DECLINE
 * @param batch       most journal entries read into one database transaction
 */
public record CaseOptions(String databaseUrl, Set<Outcome> decisions, int batch) {
    /** Entries per transaction: large enough to catch up quickly after an outage, small enough to commit quickly. */
    public static final int DEFAULT_BATCH = 500;

    private static final String URL_FORM = "postgresql://user:password@host:port/database";
    private static final Pattern COMPLETE_URL = Pattern.compile("postgres(ql)?://[^@/]+@[^@/]+/[^/?]+(\\?.*)?");

    public CaseOptions {
        connectOptions(databaseUrl);
        decisions = Set.copyOf(decisions);
        if (!decisions.contains(Outcome.REVIEW) || decisions.contains(Outcome.APPROVE)) {
            throw new IllegalArgumentException("cases.decisions: expected REVIEW or REVIEW,DECLINE, found "
                + decisions);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("cases batch: expected at least 1 entry, found " + batch);
        }
    }

    /**
     * The options of {@code cases.database-url} and {@code cases.decisions}, or null when the URL is empty (cases
     * off). The decisions are checked either way, so that a mistake shows before the database is configured.
     */
    public static CaseOptions parse(final String databaseUrl, final String decisions) {
        final Set<Outcome> outcomes = decisions(decisions);
        return databaseUrl.isEmpty() ? null : new CaseOptions(databaseUrl, outcomes, DEFAULT_BATCH);
    }

    /** {@code REVIEW} or {@code REVIEW,DECLINE} (either order, any case, spaces allowed). */
    static Set<Outcome> decisions(final String text) {
        final Set<Outcome> outcomes = EnumSet.noneOf(Outcome.class);
        for (final String part : text.split(",", -1)) {
            final String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.equals("REVIEW")) {
                outcomes.add(Outcome.REVIEW);
            } else if (name.equals("DECLINE")) {
                outcomes.add(Outcome.DECLINE);
            } else {
                throw new IllegalArgumentException("cases.decisions: expected REVIEW or REVIEW,DECLINE, found '"
                    + text + "'");
            }
        }
        if (!outcomes.contains(Outcome.REVIEW)) {
            throw new IllegalArgumentException("cases.decisions: REVIEW always opens a case (expected REVIEW or "
                + "REVIEW,DECLINE), found '" + text + "'");
        }
        return outcomes;
    }

    /** "REVIEW" or "REVIEW and DECLINE", for the start-up line. */
    public String describeDecisions() {
        return decisions.contains(Outcome.DECLINE) ? "REVIEW and DECLINE" : "REVIEW";
    }

    /** How to connect, from the URL; a URL that is not a complete PostgreSQL URL is refused, naming the setting. */
    public PgConnectOptions connectOptions() {
        return connectOptions(databaseUrl);
    }

    private static PgConnectOptions connectOptions(final String url) {
        // the driver fills in defaults ("localhost", user "user", database "db") for what is missing: a URL without
        // a user, a host or a database is a mistake, not a wish for those
        if (url == null || !COMPLETE_URL.matcher(url).matches()) {
            throw new IllegalArgumentException("cases.database-url: expected " + URL_FORM + ", found '"
                + redact(url) + "'");
        }
        try {
            return PgConnectOptions.fromUri(url);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("cases.database-url: " + e.getMessage() + " (expected " + URL_FORM
                + ", found '" + redact(url) + "')", e);
        }
    }

    /** The URL without its password, for logs and messages. */
    public String redactedUrl() {
        return redact(databaseUrl);
    }

    static String redact(final String url) {
        if (url == null) {
            return "";
        }
        return url.replaceFirst("^([a-z]+://[^:/@]*):.*@", "$1:***@"); // to the last @: a password may hold one
    }
}

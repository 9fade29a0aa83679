package io.ecap.gateway.admin;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.Replies;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.state.ConfigHistory;
import io.ecap.model.ValidationException;
import io.ecap.model.field.Timestamps;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The admin API for rule sets and models (same routes under {@code /v1/admin/rules} and {@code /v1/admin/models}, and
 * for the challenger scored in the shadow under {@code /v1/admin/shadow/rules} and {@code /v1/admin/shadow/models}):
 * upload a new version (validated, rejected whole with the reasons, the live one stays), list versions, read one,
 * roll back to an earlier one. Every change is journaled with the name of the key that made it.
 */
public final class AdminRoutes {
    /** The label of a text that does not parse (the engine then rejects it with its problems). */
    private static final String INVALID = "invalid";

    private final Gate gate;
    private final Context context;
    private final int entryType;
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();
    private final VersionLabels versions = new VersionLabels(this::label);
    private JournalReader reader;

    public AdminRoutes(final Gate gate, final Context context, final int entryType) {
        this.gate = gate;
        this.context = context;
        this.entryType = entryType;
    }

    /**
     * {@code POST}: the body is the whole rule or model file. An empty one is the client's mistake and is answered
     * 400 here; it never reaches the engine (where it failed as an internal error, with a stack trace in the log).
     */
    public void upload(final RoutingContext ctx) {
        final String text = ctx.body() == null ? null : ctx.body().asString(StandardCharsets.UTF_8.name());
        if (text == null || text.isBlank()) {
            final String what = rules() ? "rule" : "model";
            Replies.json(ctx, 400, Replies.error(rules() ? "invalid_rules" : "invalid_model",
                "the body is empty: send the " + what + " file as the body (Content-Type: text/plain); " + stays())
                    .put("problems", new JsonArray().add("the body is empty")).put("problemCount", 1));
            return;
        }
        final String label = label(text);
        final VersionLabels.Found found = INVALID.equals(label) ? VersionLabels.NOTHING
            : versions.find(engine().store().history().list(entryType), text, label, this::textAt);
        if (found.verdict() != VersionLabels.Verdict.TAKEN && !INVALID.equals(label)) {
            // a version names one content live and in the shadow alike
            final int other = otherRole();
            final VersionLabels.Found elsewhere = versions.find(engine().store().history().list(other), text, label,
                index -> textAt(index, other));
            if (elsewhere.verdict() == VersionLabels.Verdict.TAKEN) {
                Replies.fail(ctx, 409, "version_conflict", label + " is already taken by a different "
                    + (rules() ? "rule set" : "model") + (other == EntryType.SHADOW_RULE_SET
                    || other == EntryType.SHADOW_MODEL ? " in the shadow" : " that went live") + " (journal index "
                    + elsewhere.journalIndex() + "): a version names one content for good; give this one a new "
                    + "version");
                return;
            }
        }
        switch (found.verdict()) {
            case TAKEN -> Replies.fail(ctx, 409, "version_conflict", label + " is already taken by a different "
                + (rules() ? "rule set" : "model") + " (journal index " + found.journalIndex()
                + "): a version names one content for good; give this one a new version");
            case LIVE -> Replies.json(ctx, 200, new JsonObject().put("journalIndex", found.journalIndex())
                .put("version", label).put("unchanged", true));
            default -> load(ctx, text, actor(ctx));
        }
    }

    /** {@code GET}: every version that went live, oldest first, and which one is live. */
    public void list(final RoutingContext ctx) {
        final List<ConfigHistory.Change> changes = engine().store().history().list(entryType);
        final JsonArray listed = new JsonArray();
        for (int i = 0; i < changes.size(); i++) {
            final long index = changes.get(i).journalIndex();
            final ConfigEntryFlyweight entry = read(index);
            if (entry != null) {
                listed.add(new JsonObject().put("journalIndex", index).put("version", labelOf(index, entry))
                    .put("actor", entry.actor()).put("ts", Timestamps.formatIso(entry.tsMs()))
                    .put("live", i == changes.size() - 1));
            }
        }
        Replies.json(ctx, 200, new JsonObject().put("versions", listed));
    }

    /** {@code GET .../:journalIndex}: the text of one version. */
    public void get(final RoutingContext ctx) {
        if ("rollback".equals(ctx.pathParam("journalIndex"))) {
            ctx.response().putHeader("allow", "POST");
            Replies.fail(ctx, 405, "method_not_allowed", "this route does not take GET; it takes POST");
            return;
        }
        final String named = ctx.pathParam("journalIndex");
        if (!named.matches("[0-9]{1,19}")) {
            Replies.json(ctx, 400, Replies.error("invalid_field", "journalIndex: expected a version's journal index "
                + "(a whole number, as the list of versions gives it), found '" + (named.length() > 40
                ? named.substring(0, 40) + "..." : named) + "'").put("field", "journalIndex"));
            return;
        }
        final ConfigEntryFlyweight entry = read(parseIndex(named));
        if (entry == null) {
            Replies.fail(ctx, 404, "not_found", "no such version");
            return;
        }
        ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end(entry.text());
    }

    /**
     * {@code POST .../rollback}: makes an earlier version live again, as a new change. The body may name it
     * ({@code {"journalIndex": N}}); by default it is the version before the live one. For models,
     * {@code {"version": "none"}} (and the default when the live model is the first) goes back to rules only, a change
     * journaled like any other.
     */
    public void rollback(final RoutingContext ctx) {
        final RollbackRequest asked;
        try {
            final Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            asked = body == null || body.toString(StandardCharsets.UTF_8).isBlank() ? RollbackRequest.DEFAULT
                : RollbackRequest.parse(new UnsafeBuffer(body.getBytes()), body.length());
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        final List<ConfigHistory.Change> changes = engine().store().history().list(entryType);
        if (asked.version() != null) {
            if (entryType == EntryType.RULE_SET) {
                Replies.invalid(ctx, new ValidationException("version", NONE.equals(asked.version())
                    ? "the rule set cannot be removed: scoring always has one live; give journalIndex to roll back "
                        + "to an earlier rule set (GET /v1/admin/rules lists them)"
                    : "rule sets are rolled back by journalIndex (GET /v1/admin/rules lists them), not by version"));
                return;
            }
            if (!NONE.equals(asked.version())) {
                Replies.invalid(ctx, new ValidationException("version", "expected \"none\" (" + noneMeans()
                    + "), found '" + asked.version() + "'; to roll back to an earlier version give its journalIndex "
                    + "(GET " + path() + " lists them)"));
                return;
            }
        }
        final boolean none = entryType != EntryType.RULE_SET && (asked.version() != null
            || asked.journalIndex() == 0 && changes.size() == 1 && !noneIsLive(changes));
        if (none) {
            if (noneIsLive(changes)) {
                Replies.fail(ctx, 404, "not_found", entryType == EntryType.MODEL
                    ? "no model is live: scoring uses the rules only already"
                    : "the challenger has no " + (rules() ? "rule set" : "model") + " in the shadow already");
                return;
            }
            load(ctx, "", actor(ctx) + " (rollback to none)");
            return;
        }
        final long chosen = asked.journalIndex() != 0 ? asked.journalIndex()
            : changes.size() >= 2 ? changes.get(changes.size() - 2).journalIndex() : 0;
        final ConfigEntryFlyweight entry = changes.stream().anyMatch(c -> c.journalIndex() == chosen)
            ? read(chosen) : null;
        if (entry == null) {
            Replies.fail(ctx, 404, "not_found", asked.journalIndex() != 0 ? "no version at journal index " + chosen
                + " (GET " + path() + " lists them)" : "no earlier version to roll back to");
            return;
        }
        load(ctx, entry.text(), actor(ctx) + " (rollback to " + chosen + ")");
    }

    private void load(final RoutingContext ctx, final String text, final String actor) {
        final long now = System.currentTimeMillis();
        final CompletableFuture<Long> result = engine().loadConfig(entryType, text, actor, now);
        result.whenComplete((index, error) -> context.runOnContext(ignored -> {
            if (error == null) {
                Replies.json(ctx, 200, new JsonObject().put("journalIndex", index).put("version", label(text)));
                return;
            }
            final Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
            if (cause instanceof RuleSetException r) {
                final String listed = r.count() > r.problems().size()
                    ? " (" + r.count() + " problems; the first " + r.problems().size() + " are listed)" : "";
                Replies.json(ctx, 400, Replies.error("invalid_rules", "the rule set was rejected" + listed
                    + "; " + stays()).put("problems", new JsonArray(r.problems()))
                    .put("problemCount", r.count()));
            } else if (cause instanceof ModelException m) {
                Replies.json(ctx, 400, Replies.error("invalid_model", "the model was rejected; " + stays())
                    .put("problems", new JsonArray().add(m.getMessage())).put("problemCount", 1));
            } else {
                Replies.fail(ctx, 500, "engine_error", "the engine could not load it");
            }
        }));
    }

    /**
     * Version name of "no model": the change back to rules only (an empty model text in the journal); for the
     * challenger, the change that takes its rule set or model out of the shadow.
     */
    static final String NONE = "none";

    /** True for the routes of rule sets (live or in the shadow), false for models. */
    private boolean rules() {
        return entryType == EntryType.RULE_SET || entryType == EntryType.SHADOW_RULE_SET;
    }

    /** The routes' path, for messages. */
    private String path() {
        return switch (entryType) {
            case EntryType.RULE_SET -> "/v1/admin/rules";
            case EntryType.MODEL -> "/v1/admin/models";
            case EntryType.SHADOW_RULE_SET -> "/v1/admin/shadow/rules";
            default -> "/v1/admin/shadow/models";
        };
    }

    /** What a refused upload leaves in place. */
    private String stays() {
        return entryType == EntryType.RULE_SET || entryType == EntryType.MODEL ? "the live one stays"
            : "what is in the shadow stays";
    }

    private String noneMeans() {
        return entryType == EntryType.MODEL ? "back to rules only" : "out of the shadow";
    }

    private boolean noneIsLive(final List<ConfigHistory.Change> changes) {
        if (changes.isEmpty()) {
            return true;
        }
        final String live = textAt(changes.get(changes.size() - 1).journalIndex());
        return live == null || live.isEmpty();
    }

    private EngineRunner engine() {
        return gate.gateway().engine();
    }

    private ConfigEntryFlyweight read(final long index) {
        return read(index, entryType);
    }

    private ConfigEntryFlyweight read(final long index, final int type) {
        if (reader == null) {
            reader = engine().journal().reader();
        }
        if (index <= 0 || !reader.read(index) || reader.type() != type) {
            return null;
        }
        return config.wrapForDecode(reader.buffer(), 0, reader.length());
    }

    /** The same kind of change in the other role: live for the shadow's routes, the shadow for the live ones. */
    private int otherRole() {
        return switch (entryType) {
            case EntryType.RULE_SET -> EntryType.SHADOW_RULE_SET;
            case EntryType.MODEL -> EntryType.SHADOW_MODEL;
            case EntryType.SHADOW_RULE_SET -> EntryType.RULE_SET;
            default -> EntryType.MODEL;
        };
    }

    private String labelOf(final long index, final ConfigEntryFlyweight entry) {
        return versions.labelOf(index, entry.text());
    }

    /** The text journaled at {@code index}, or null if there is no version of this kind there. */
    private String textAt(final long index) {
        return textAt(index, entryType);
    }

    private String textAt(final long index, final int type) {
        final ConfigEntryFlyweight entry = read(index, type);
        return entry == null ? null : entry.text();
    }

    private static long parseIndex(final String text) {
        try {
            return Long.parseLong(text);
        } catch (final NumberFormatException e) {
            return 0;
        }
    }

    /** A text's label, read as journaled texts are (an upload's text is then checked by the engine's own parse). */
    private String label(final String text) {
        if (text.isEmpty() && entryType != EntryType.RULE_SET) {
            return NONE;
        }
        try {
            return rules() ? RuleParser.parse(text).label()
                : ModelParser.parseJournaled(text, FeatureCatalog.forModels()).label();
        } catch (final RuleSetException | ModelException e) {
            return INVALID;
        }
    }

    private static String actor(final RoutingContext ctx) {
        final ApiKey key = ctx.get(Authenticator.KEY);
        return key == null ? "unknown" : key.name();
    }
}

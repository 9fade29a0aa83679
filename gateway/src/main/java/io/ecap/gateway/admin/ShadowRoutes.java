package io.ecap.gateway.admin;

import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.Replies;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.state.EngineMeta;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/admin/shadow}: which challenger is scored in the shadow (its rule set and model, or null where the
 * live one stands in) and how its outcomes compare with the decisions since the service started. The challenger is
 * set through {@code /v1/admin/shadow/rules} and {@code /v1/admin/shadow/models} ({@link AdminRoutes}).
 */
public final class ShadowRoutes {
    private final Gate gate;
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();
    private JournalReader reader;

    public ShadowRoutes(final Gate gate) {
        this.gate = gate;
    }

    public void summary(final RoutingContext ctx) {
        final EngineRunner engine = gate.gateway().engine();
        final EngineMeta meta = engine.store().meta();
        final String rules = labelAt(engine, meta.shadowRuleSetIndex(), true);
        final String model = labelAt(engine, meta.shadowModelIndex(), false);
        final EngineCounters c = engine.counters();
        final long approve = c.get(Counter.SHADOW_APPROVED);
        final long review = c.get(Counter.SHADOW_REVIEWED);
        final long decline = c.get(Counter.SHADOW_DECLINED);
        Replies.json(ctx, 200, new JsonObject()
            .put("active", rules != null || model != null)
            .put("ruleSetVersion", rules).put("modelVersion", model)
            .put("sinceStart", new JsonObject().put("scored", approve + review + decline)
                .put("approve", approve).put("review", review).put("decline", decline)
                .put("different", c.get(Counter.SHADOW_DIFFERENT))));
    }

    /** The label of the challenger part journaled at {@code index}, or null (none, or taken out of the shadow). */
    private synchronized String labelAt(final EngineRunner engine, final long index, final boolean rules) {
        if (index == 0) {
            return null;
        }
        if (reader == null) {
            reader = engine.journal().reader();
        }
        if (!reader.read(index) || reader.type() != (rules ? EntryType.SHADOW_RULE_SET : EntryType.SHADOW_MODEL)) {
            return null;
        }
        final String text = config.wrapForDecode(reader.buffer(), 0, reader.length()).text();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return rules ? RuleParser.parse(text).label()
                : ModelParser.parseJournaled(text, FeatureCatalog.forModels()).label();
        } catch (final RuleSetException | ModelException e) {
            return "unreadable";
        }
    }
}

package io.ecap.gateway.journal;

import io.ecap.model.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * Decisions per rule set and model version, of the live scorer and of the challenger in the shadow, and the
 * distribution of their scores, in {@code /metrics}: {@code ecap_version_decisions_total{role, rule_set_version,
 * model_version, outcome}} and {@code ecap_version_score{role, rule_set_version, model_version}} (a histogram with a
 * bucket every 100 points). Fed by the alert feed, which reads every scored journal entry, whatever path its
 * transaction came by. At most {@link #MAX_VERSIONS} version pairs per role are told apart; any later one counts under
 * {@code other}, so a long history of uploads cannot grow the metrics without bound. One thread.
 */
public final class VersionMetrics {
    static final int MAX_VERSIONS = 32;
    static final String OTHER = "other";
    private static final double[] SCORE_BUCKETS = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};

    private final MeterRegistry registry;
    private final Map<String, Meters> meters = new HashMap<>();
    private final Map<String, Integer> perRole = new HashMap<>();

    public VersionMetrics(final MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one decision ({@code role} {@code live} or {@code shadow}). */
    public void count(final String role, final String ruleSetVersion, final String modelVersion,
        final Outcome outcome, final int score) {
        final String key = role + '\n' + ruleSetVersion + '\n' + modelVersion;
        Meters m = meters.get(key);
        if (m == null) {
            final int known = perRole.getOrDefault(role, 0);
            final boolean other = known >= MAX_VERSIONS;
            m = other ? meters.computeIfAbsent(role + '\n' + OTHER, k -> new Meters(role, OTHER, OTHER))
                : new Meters(role, ruleSetVersion, modelVersion);
            if (!other) {
                perRole.put(role, known + 1);
                meters.put(key, m);
            }
        }
        m.outcomes[outcome.ordinal()].increment();
        m.scores.record(score);
    }

    private final class Meters {
        private final Counter[] outcomes = new Counter[Outcome.values().length];
        private final DistributionSummary scores;

        Meters(final String role, final String ruleSetVersion, final String modelVersion) {
            for (final Outcome o : Outcome.values()) {
                outcomes[o.ordinal()] = Counter.builder("ecap.version.decisions")
                    .description("decisions by rule set and model version, live and in the shadow")
                    .tag("role", role).tag("rule_set_version", ruleSetVersion).tag("model_version", modelVersion)
                    .tag("outcome", o.name()).register(registry);
            }
            scores = DistributionSummary.builder("ecap.version.score")
                .description("scores (0 to 1000) by rule set and model version, live and in the shadow")
                .tag("role", role).tag("rule_set_version", ruleSetVersion).tag("model_version", modelVersion)
                .serviceLevelObjectives(SCORE_BUCKETS).register(registry);
        }
    }
}

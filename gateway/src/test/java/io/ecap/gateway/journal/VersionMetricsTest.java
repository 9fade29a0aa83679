package io.ecap.gateway.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.model.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Decisions per version: counted per role and version pair, and bounded. */
class VersionMetricsTest {
    @Test
    void countsEachVersionApartUpToTheBoundThenUnderOther() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final VersionMetrics metrics = new VersionMetrics(registry);
        metrics.count("live", "default@2", "none", Outcome.DECLINE, 750);
        metrics.count("live", "default@2", "none", Outcome.DECLINE, 820);
        metrics.count("shadow", "strict@1", "lr@7", Outcome.REVIEW, 450);
        for (int v = 0; v < VersionMetrics.MAX_VERSIONS + 10; v++) {
            metrics.count("live", "r@" + v, "none", Outcome.APPROVE, 10);
        }
        assertEquals(2.0, registry.get("ecap.version.decisions").tags("role", "live", "rule_set_version", "default@2",
            "outcome", "DECLINE").counter().count());
        assertEquals(1.0, registry.get("ecap.version.decisions").tags("role", "shadow", "model_version", "lr@7",
            "outcome", "REVIEW").counter().count());
        assertEquals(2, registry.get("ecap.version.score").tags("role", "live", "rule_set_version", "default@2")
            .summary().count());
        // default@2 took one of the live role's places: the versions after the bound share 'other'
        assertEquals(11.0, registry.get("ecap.version.decisions").tags("role", "live", "rule_set_version",
            VersionMetrics.OTHER, "outcome", "APPROVE").counter().count());
        assertEquals(VersionMetrics.MAX_VERSIONS + 1, registry.find("ecap.version.decisions").tags("role", "live",
            "outcome", "APPROVE").counters().size(), "the bound's versions and other");
    }
}

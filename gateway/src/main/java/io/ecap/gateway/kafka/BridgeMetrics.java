package io.ecap.gateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The input bridge's meters: records per input topic and outcome, and pauses for back-pressure. */
public final class BridgeMetrics {
    private final MeterRegistry registry;
    private final Map<InputTopic, Counter> consumed = new EnumMap<>(InputTopic.class);
    private final Map<InputTopic, Counter> deadLettered = new EnumMap<>(InputTopic.class);
    private final Counter pauses;

    public BridgeMetrics(final MeterRegistry registry) {
        this.registry = registry;
        for (final InputTopic input : InputTopic.values()) {
            consumed.put(input, Counter.builder("ecap.kafka.records").tag("topic", input.topic())
                .tag("result", "journaled").description("input records handed to the engine and journaled "
                    + "(or recognised as already scored)").register(registry));
            deadLettered.put(input, Counter.builder("ecap.kafka.records").tag("topic", input.topic())
                .tag("result", "dead_letter").description("input records sent to the dead-letter topic")
                .register(registry));
        }
        this.pauses = Counter.builder("ecap.kafka.bridge.pauses")
            .description("times the bridge paused its partitions because the engine was saturated")
            .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void consumed(final InputTopic input) {
        consumed.get(input).increment();
    }

    void deadLettered(final InputTopic input) {
        deadLettered.get(input).increment();
    }

    void paused() {
        pauses.increment();
    }

    public double pauses() {
        return pauses.count();
    }
}

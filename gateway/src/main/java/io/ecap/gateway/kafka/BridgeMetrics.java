package io.ecap.gateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The input bridge's meters: records per input topic and outcome, pauses for back-pressure, and the delay from a
 * record's Kafka timestamp (its producer's clock, or the broker's for log-append-time topics) to its journaling.
 */
public final class BridgeMetrics {
    private final MeterRegistry registry;
    private final Map<InputTopic, Counter> consumed = new EnumMap<>(InputTopic.class);
    private final Map<InputTopic, Counter> deadLettered = new EnumMap<>(InputTopic.class);
    private final Counter pauses;
    private final Timer delay;

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
        this.delay = Timer.builder("ecap.kafka.bridge.delay")
            .description("from an input record's Kafka timestamp to the engine's answer (journaled)")
            .publishPercentileHistogram().register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void consumed(final InputTopic input, final long recordTimestampMs) {
        consumed.get(input).increment();
        final long ms = System.currentTimeMillis() - recordTimestampMs;
        if (ms >= 0) {
            delay.record(ms, TimeUnit.MILLISECONDS);
        }
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

package io.ecap.ops.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Kafka's clients warn once a second for each connection while a broker is away (three clients in a service: three
 * lines a second for as long as the outage lasts). This keeps the first warning of each kind (logger and message
 * pattern, which names the client) and then at most one a minute; the other warnings and everything else pass.
 */
final class KafkaRepeats extends TurboFilter {
    static final long PERIOD_MS = 60_000;
    private static final int MAX_KINDS = 1_000;

    private final Map<String, Long> lastShown = new ConcurrentHashMap<>();
    private final LongSupplier clockMs;

    KafkaRepeats() {
        this(System::currentTimeMillis);
    }

    KafkaRepeats(final LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    @Override
    public FilterReply decide(final Marker marker, final Logger logger, final Level level, final String format,
        final Object[] params, final Throwable t) {
        if (format == null || level == null || !level.isGreaterOrEqual(Level.WARN)
            || !logger.getName().startsWith("org.apache.kafka.")) {
            return FilterReply.NEUTRAL;
        }
        final String kind = logger.getName() + '|' + format;
        final long now = clockMs.getAsLong();
        final Long shown = lastShown.get(kind);
        if (shown != null && now - shown < PERIOD_MS) {
            return FilterReply.DENY;
        }
        if (lastShown.size() >= MAX_KINDS) {
            lastShown.clear();
        }
        lastShown.put(kind, now);
        return FilterReply.NEUTRAL;
    }
}

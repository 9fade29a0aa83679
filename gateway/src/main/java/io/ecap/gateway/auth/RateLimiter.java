package io.ecap.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket per API key, shared by all event loops without locks: each bucket is one atomic word holding the
 * time (in nanoseconds) at which it will be full again; a request costs {@code 1/rate} seconds of that time and is
 * refused when the bucket would have to reach more than one second (the burst) into the future.
 */
public final class RateLimiter {
    private final long costNs;
    private final long burstNs = 1_000_000_000L;
    private final Map<String, AtomicLong> buckets = new ConcurrentHashMap<>();

    public RateLimiter(final int perSecond) {
        this.costNs = 1_000_000_000L / perSecond;
    }

    /**
     * Takes one request from the key's bucket at time {@code nowNs}.
     *
     * @return 0 if allowed, otherwise the nanoseconds to wait before a request would be allowed.
     */
    public long acquire(final String key, final long nowNs) {
        final AtomicLong bucket = buckets.computeIfAbsent(key, k -> new AtomicLong(nowNs - burstNs));
        while (true) {
            final long fullAt = bucket.get();
            final long next = Math.max(fullAt, nowNs - burstNs) + costNs;
            if (next - nowNs > 0) {
                return next - nowNs;
            }
            if (bucket.compareAndSet(fullAt, next)) {
                return 0;
            }
        }
    }
}

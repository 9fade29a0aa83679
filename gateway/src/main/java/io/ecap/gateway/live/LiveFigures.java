package io.ecap.gateway.live;

import io.ecap.gateway.lists.ListOptions;
import io.ecap.model.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live figures for the console, in the lists' Redis so that the gateways of several engines add up: decisions per
 * outcome per minute, and alerts (REVIEW and DECLINE) per merchant per hour, by the minute and hour (UTC, wall clock)
 * in which the gateway read the decision from its journal. The alert feed's thread counts in memory; once a second
 * the counts go to Redis in one MULTI (HINCRBY, ZINCRBY). Redis memory is bounded: a minute's hash expires after
 * {@link #MINUTES_KEPT} minutes, an hour's sorted set after {@link #HOURS_KEPT} hours and keeps its top
 * {@link #TOP_MERCHANTS} merchants. While Redis is away the counts wait in memory for as many minutes and hours, older
 * ones are dropped (and counted); the journal keeps the truth, these are figures to watch.
 */
public final class LiveFigures {
    public static final int MINUTES_KEPT = 120;
    public static final int HOURS_KEPT = 25;
    public static final int TOP_MERCHANTS = 1000;
    static final long FLUSH_MS = 1_000;
    static final long TIMEOUT_MS = 3_000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveFigures.class);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm")
        .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
    private static final Outcome[] OUTCOMES = {Outcome.APPROVE, Outcome.REVIEW, Outcome.DECLINE};

    private final Vertx vertx;
    private final Redis redis;
    private final long timer;
    private TreeMap<Long, long[]> minutes = new TreeMap<>();
    private TreeMap<Long, Map<String, Long>> hours = new TreeMap<>();
    private boolean flushing;

    private LiveFigures(final Vertx vertx, final Redis redis) {
        this.vertx = vertx;
        this.redis = redis;
        this.timer = vertx.setPeriodic(FLUSH_MS, ignored -> flush());
    }

    /** Figures kept in the Redis of {@code options}; nothing is reached before the first flush or read. */
    public static LiveFigures open(final Vertx vertx, final ListOptions options) {
        return new LiveFigures(vertx, Redis.createClient(vertx, options.redisOptions()));
    }

    /** Any thread (the alert feed's): one decision read at {@code nowMs}; {@code merchant} null for an APPROVE. */
    public synchronized void count(final Outcome outcome, final String merchant, final long nowMs) {
        minutes.computeIfAbsent(nowMs / 60_000, ignored -> new long[OUTCOMES.length])[outcome.ordinal()]++;
        if (merchant != null) {
            hours.computeIfAbsent(nowMs / 3_600_000, ignored -> new HashMap<>()).merge(merchant, 1L, Long::sum);
        }
    }

    private void flush() {
        final TreeMap<Long, long[]> m;
        final TreeMap<Long, Map<String, Long>> h;
        synchronized (this) {
            if (flushing || minutes.isEmpty() && hours.isEmpty()) {
                return;
            }
            flushing = true;
            m = minutes;
            h = hours;
            minutes = new TreeMap<>();
            hours = new TreeMap<>();
        }
        final List<Request> batch = new ArrayList<>(List.of(Request.cmd(Command.MULTI)));
        m.forEach((minute, counts) -> {
            final String key = minuteKey(minute);
            for (int i = 0; i < OUTCOMES.length; i++) {
                if (counts[i] > 0) {
                    batch.add(Request.cmd(Command.HINCRBY).arg(key).arg(OUTCOMES[i].name()).arg(counts[i]));
                }
            }
            batch.add(Request.cmd(Command.EXPIRE).arg(key).arg(MINUTES_KEPT * 60));
        });
        h.forEach((hour, merchants) -> {
            final String key = hourKey(hour);
            merchants.forEach((merchant, n) -> batch.add(Request.cmd(Command.ZINCRBY).arg(key).arg(n).arg(merchant)));
            batch.add(Request.cmd(Command.ZREMRANGEBYRANK).arg(key).arg(0).arg(-TOP_MERCHANTS - 1));
            batch.add(Request.cmd(Command.EXPIRE).arg(key).arg(HOURS_KEPT * 3600));
        });
        batch.add(Request.cmd(Command.EXEC));
        redis.connect().compose(connection -> connection.batch(batch).eventually(connection::close))
            .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .onComplete(ar -> {
                synchronized (this) {
                    flushing = false;
                    if (ar.failed()) {
                        putBack(m, h);
                    }
                }
                if (ar.failed()) {
                    LOG.debug("live figures not written, kept for the next try: {}", ar.cause().toString());
                }
            });
    }

    /** Counts that did not reach Redis go back, merged with those counted since; the oldest beyond the bounds go. */
    private void putBack(final TreeMap<Long, long[]> m, final TreeMap<Long, Map<String, Long>> h) {
        minutes.forEach((minute, counts) -> m.merge(minute, counts, (a, b) -> {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            return a;
        }));
        hours.forEach((hour, merchants) -> h.merge(hour, merchants, (a, b) -> {
            b.forEach((merchant, n) -> a.merge(merchant, n, Long::sum));
            return a;
        }));
        long dropped = 0;
        while (m.size() > MINUTES_KEPT) {
            final long[] gone = m.pollFirstEntry().getValue();
            dropped += gone[0] + gone[1] + gone[2];
        }
        if (dropped > 0) {
            LOG.warn("live figures: Redis away for over {} minutes; the counts of {} decisions of the oldest minute "
                + "dropped (the journal keeps the decisions)", MINUTES_KEPT, dropped);
        }
        while (h.size() > HOURS_KEPT) {
            h.pollFirstEntry();
        }
        minutes = m;
        hours = h;
    }

    /**
     * The last {@code count} minutes up to {@code nowMs}, oldest first, each with its decisions per outcome, and the
     * {@code top} merchants by alerts in the hour of {@code nowMs} and the hour before.
     */
    public Future<JsonObject> read(final int count, final int top, final long nowMs) {
        final long lastMinute = nowMs / 60_000;
        final long hour = nowMs / 3_600_000;
        final List<Request> batch = new ArrayList<>();
        for (long minute = lastMinute - count + 1; minute <= lastMinute; minute++) {
            batch.add(Request.cmd(Command.HMGET).arg(minuteKey(minute)).arg(OUTCOMES[0].name())
                .arg(OUTCOMES[1].name()).arg(OUTCOMES[2].name()));
        }
        for (long h = hour; h >= hour - 1; h--) {
            batch.add(Request.cmd(Command.ZREVRANGE).arg(hourKey(h)).arg(0).arg(top - 1).arg("WITHSCORES"));
        }
        return redis.batch(batch).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).map(replies -> {
            final JsonArray perMinute = new JsonArray();
            for (int i = 0; i < count; i++) {
                final long minute = lastMinute - count + 1 + i;
                final JsonObject row = new JsonObject().put("minute", Instant.ofEpochMilli(minute * 60_000).toString());
                for (int k = 0; k < OUTCOMES.length; k++) {
                    final Response n = replies.get(i).get(k);
                    row.put(OUTCOMES[k].name(), n == null ? 0L : n.toLong());
                }
                perMinute.add(row);
            }
            final JsonArray tops = new JsonArray();
            for (int j = 0; j < 2; j++) {
                final Response ranked = replies.get(count + j);
                final JsonArray merchants = new JsonArray();
                for (int r = 0; ranked != null && r < ranked.size(); r++) {
                    final Response pair = ranked.get(r);
                    if (pair.type() == io.vertx.redis.client.ResponseType.MULTI) { // RESP3: [member, score]
                        merchants.add(merchant(pair.get(0).toString(), pair.get(1).toDouble()));
                    } else if (r + 1 < ranked.size()) { // RESP2: member, score, member, score...
                        merchants.add(merchant(pair.toString(), ranked.get(++r).toDouble()));
                    }
                }
                tops.add(new JsonObject().put("hour", Instant.ofEpochMilli((hour - j) * 3_600_000).toString())
                    .put("merchants", merchants));
            }
            return new JsonObject().put("minutes", perMinute).put("topAlertMerchants", tops);
        });
    }

    private static JsonObject merchant(final String id, final double alerts) {
        return new JsonObject().put("merchantId", id).put("alerts", (long) alerts);
    }

    static String minuteKey(final long minute) {
        return "ecap:live:decisions:" + MINUTE.format(Instant.ofEpochMilli(minute * 60_000));
    }

    static String hourKey(final long hour) {
        return "ecap:live:alerts:" + HOUR.format(Instant.ofEpochMilli(hour * 3_600_000));
    }

    /** Stops the flushes (the last counts are written first, as far as Redis answers) and closes the client. */
    public Future<Void> close() {
        vertx.cancelTimer(timer);
        flush();
        return vertx.timer(200).compose(ignored -> redis.close());
    }
}

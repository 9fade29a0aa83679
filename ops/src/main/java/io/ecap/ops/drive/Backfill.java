package io.ecap.ops.drive;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.ProductUpdateJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Scenario;
import io.ecap.ops.report.ScoreStats;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends generated events of every kind straight into an engine in this process, as fast as it takes them: the
 * demo's history, months of back-dated traffic that would take many minutes over HTTP. Each event is checked by the
 * same JSON contract the API uses; decisions are counted against the ground truth. Not thread-safe: one thread
 * sends and reads the answers.
 */
public final class Backfill {
    private static final int RING = 1 << 16;

    private final EngineClient client;
    private final TransactionJson transactions = new TransactionJson();
    private final UserEventJson events = new UserEventJson();
    private final ProductUpdateJson products = new ProductUpdateJson();
    private final LabelJson labels = new LabelJson();
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final ScoreStats stats = new ScoreStats();
    private final long[] sent = new long[Kind.values().length];
    private final long[] accepted = new long[Kind.values().length];
    private final Map<String, Long> failures = new TreeMap<>();
    private final Scenario[] truth = new Scenario[RING];
    private final Kind[] kinds = new Kind[RING];
    private final IdleStrategy waiting = new BackoffIdleStrategy(20, 10, 1_000, 100_000);
    private final EngineClient.ResponseHandler handler = this::onResponse;

    public Backfill(final EngineClient client) {
        this.client = client;
    }

    /** Sends one event, waiting while the engine's ring is full. */
    public void send(final GeneratedEvent event) {
        final byte[] json = event.json().getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer in = new UnsafeBuffer(json);
        final int type;
        final int length;
        try {
            switch (event.kind()) {
                case TRANSACTION -> {
                    type = Commands.SCORE;
                    length = transactions.parse(in, 0, json.length, message, 0);
                }
                case USER_EVENT -> {
                    type = Commands.USER_EVENT;
                    length = events.parse(in, 0, json.length, message, 0);
                }
                case PRODUCT_UPDATE -> {
                    type = Commands.PRODUCT_UPDATE;
                    length = products.parse(in, 0, json.length, message, 0);
                }
                case LABEL -> {
                    type = Commands.LABEL;
                    length = labels.parse(in, 0, json.length, message, 0);
                }
                default -> throw new IllegalStateException("unknown kind " + event.kind());
            }
        } catch (final ValidationException e) {
            sent[event.kind().ordinal()]++;
            failures.merge("invalid " + event.kind().name().toLowerCase(java.util.Locale.ROOT) + ": "
                + e.getMessage(), 1L, Long::sum);
            return;
        }
        long id;
        while ((id = client.offer(type, message, 0, length)) < 0) {
            client.awaitRoom(handler); // the engine has all it can take
        }
        sent[event.kind().ordinal()]++;
        kinds[(int) (id & RING - 1)] = event.kind();
        truth[(int) (id & RING - 1)] = event.scenario();
        if ((id & 63) == 0) {
            client.poll(handler, 256);
        }
    }

    /** Waits for every answer still outstanding. */
    public void drain() {
        while (client.inFlight() > 0) {
            waiting.idle(client.poll(handler, 256));
        }
        waiting.reset();
    }

    private void onResponse(final int type, final long correlationId, final long journalIndex,
        final DirectBuffer body, final int at, final int length) {
        final int slot = (int) (correlationId & RING - 1);
        final Kind kind = kinds[slot];
        if (type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE) {
            accepted[kind.ordinal()]++;
            decision.wrapForDecode(body, at, length);
            stats.decision(decision, type == Commands.RESPONSE_DUPLICATE, truth[slot], true);
        } else if (type == Commands.RESPONSE_ACCEPTED) {
            accepted[kind.ordinal()]++;
        } else {
            failures.merge(kind.name().toLowerCase(java.util.Locale.ROOT) + " refused by the engine: "
                + body.getStringWithoutLengthAscii(at, length), 1L, Long::sum);
        }
        truth[slot] = null;
    }

    /** The decisions made so far, against the ground truth. */
    public ScoreStats stats() {
        return stats;
    }

    public long sent(final Kind kind) {
        return sent[kind.ordinal()];
    }

    public long accepted(final Kind kind) {
        return accepted[kind.ordinal()];
    }

    public long sentTotal() {
        long n = 0;
        for (final long s : sent) {
            n += s;
        }
        return n;
    }

    /** What was refused or invalid, by reason, with counts. */
    public Map<String, Long> failures() {
        return failures;
    }
}

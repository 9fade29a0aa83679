package io.ecap.hotpath.engine;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.CustomerProfileJson;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A running engine with one client and blocking helpers, for tests. */
final class Harness implements AutoCloseable {
    record Answer(int type, String txnId, Outcome outcome, int score, long journalIndex, List<String> reasons,
        String ruleSet, String modelVersion) {
        boolean has(final String reason) {
            return reasons.contains(reason);
        }
    }

    final EngineRunner engine;
    final EngineClient client;
    private final TransactionJson transactions = new TransactionJson();
    private final LabelJson labels = new LabelJson();
    private final CustomerProfileJson profiles = new CustomerProfileJson();
    private final UserEventJson events = new UserEventJson();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final DecisionFlyweight decision = new DecisionFlyweight();

    Harness(final EngineConfig config) throws Exception {
        engine = EngineRunner.start(config, Throwable::printStackTrace);
        client = engine.newClient();
    }

    static Harness start(final Path dir) throws Exception {
        return new Harness(EngineConfig.defaults(dir).withEntries(10_000, 50_000));
    }

    /** Scores a transaction given as JSON and waits for the answer. */
    Answer score(final String json) {
        final UnsafeBuffer in = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        final int length = transactions.parse(in, 0, in.capacity(), buffer, 0);
        return send(Commands.SCORE, length);
    }

    /** Sends a customer profile given as JSON and waits until it is journaled. */
    Answer profile(final String json) {
        final UnsafeBuffer in = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        return send(Commands.CUSTOMER_PROFILE, profiles.parse(in, 0, in.capacity(), buffer, 0));
    }

    /** Sends a clickstream event given as JSON and waits until it is journaled. */
    Answer event(final String json) {
        final UnsafeBuffer in = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        return send(Commands.USER_EVENT, events.parse(in, 0, in.capacity(), buffer, 0));
    }

    Answer label(final String txnId, final String label) {
        final String json = "{\"txnId\":\"" + txnId + "\",\"label\":\"" + label
            + "\",\"source\":\"CHARGEBACK\",\"ts\":1795600000000}";
        final UnsafeBuffer in = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        return send(Commands.LABEL, labels.parse(in, 0, in.capacity(), buffer, 0));
    }

    private Answer send(final int type, final int length) {
        while (client.offer(type, buffer, 0, length) < 0) {
            Thread.onSpinWait();
        }
        final List<Answer> answers = new ArrayList<>();
        while (answers.isEmpty()) {
            client.poll((t, correlationId, journalIndex, body, at, bodyLength) -> {
                if (t == Commands.RESPONSE_DECISION || t == Commands.RESPONSE_DUPLICATE) {
                    decision.wrapForDecode(body, at, bodyLength);
                    final List<String> reasons = new ArrayList<>();
                    for (int i = 0; i < decision.reasonCount(); i++) {
                        reasons.add(decision.reasonCode(i));
                    }
                    answers.add(new Answer(t, decision.string(DecisionFlyweight.TXN_ID), decision.outcome(),
                        decision.score(), decision.journalIndex(), reasons,
                        decision.string(DecisionFlyweight.RULE_SET_VERSION),
                        decision.string(DecisionFlyweight.MODEL_VERSION)));
                } else {
                    answers.add(new Answer(t, body.getStringWithoutLengthAscii(at, bodyLength), null, 0,
                        journalIndex, List.of(), null, null));
                }
            }, 1);
            Thread.onSpinWait();
        }
        return answers.get(0);
    }

    /** A transaction's JSON; {@code extra} is more fields (without braces), or empty. */
    static String txn(final String id, final long ts, final String customer, final String card, final String amount,
        final String extra) {
        return "{\"txnId\":\"" + id + "\",\"ts\":" + ts + ",\"customerId\":\"" + customer + "\",\"cardId\":\"" + card
            + "\",\"merchantId\":\"m-1\",\"amount\":\"" + amount + "\",\"currency\":\"USD\""
            + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** A feature value the engine journaled with the decision at {@code journalIndex}. */
    double journaledFeature(final long journalIndex, final String feature) {
        try (JournalReader reader = engine.journal().reader()) {
            if (!reader.read(journalIndex)) {
                throw new IllegalStateException("no journal entry " + journalIndex);
            }
            final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
            entry.wrapForDecode(reader.buffer(), 0, reader.length(), new TransactionFlyweight(),
                new DecisionFlyweight());
            return entry.feature(FeatureCatalog.indexOf(feature));
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}

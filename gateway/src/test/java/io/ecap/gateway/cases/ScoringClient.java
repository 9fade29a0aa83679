package io.ecap.gateway.cases;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.json.TransactionJson;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Scores transactions through a real engine, one at a time, for the case tests: the amount picks the outcome under
 * {@link #RULES}. One instance per thread (it is one engine client).
 */
final class ScoringClient {
    static final long T0 = 1_795_500_000_000L;
    /** Under 100 USD: APPROVE (score 0); from 100: REVIEW (15); from 1000: DECLINE (25). */
    static final String RULES = "ruleset cases version 3\nthresholds review 10 decline 20\n"
        + "rule MID weight 15\n    when txn.amount_usd >= 100\n    reason \"a large amount\" value txn.amount_usd\n"
        + "rule BIG weight 10\n    when txn.amount_usd >= 1000\n";

    /** An engine's answer: the decision and its journal index. */
    record Answer(String txnId, Outcome outcome, int score, long journalIndex) {
    }

    private final EngineClient client;
    private final TransactionJson json = new TransactionJson();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private Answer answer;

    ScoringClient(final EngineRunner engine) {
        this.client = engine.newClient();
    }

    /** Puts the rule set of {@link #RULES} live. */
    static void loadRules(final EngineRunner engine) throws Exception {
        engine.loadRuleSet(RULES, "case-test", T0).get();
    }

    /** The amount for the {@code i}th transaction of a mixed stream: APPROVE, REVIEW, DECLINE in turn. */
    static String amount(final int i) {
        return switch (i % 3) {
            case 0 -> "5.00";
            case 1 -> "150.25";
            default -> "1500.00";
        };
    }

    Answer score(final String txnId, final long tsMs, final String customer, final String amount) {
        final String text = "{\"txnId\":\"" + txnId + "\",\"ts\":" + tsMs + ",\"customerId\":\"" + customer
            + "\",\"cardId\":\"card-" + customer + "\",\"merchantId\":\"m-7\",\"deviceId\":\"dev-" + customer
            + "\",\"ip\":\"10.0.0.7\",\"amount\":\"" + amount + "\",\"currency\":\"USD\",\"country\":\"DE\"}";
        final UnsafeBuffer in = new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
        final int length = json.parse(in, 0, in.capacity(), buffer, 0);
        while (client.offer(Commands.SCORE, buffer, 0, length) < 0) {
            Thread.onSpinWait();
        }
        answer = null;
        while (answer == null) {
            client.poll((type, correlationId, journalIndex, message, body, bodyLength) -> {
                if (type != Commands.RESPONSE_DECISION) {
                    throw new AssertionError("engine answered " + type + " to " + txnId);
                }
                decision.wrapForDecode(message, body, bodyLength);
                answer = new Answer(decision.string(DecisionFlyweight.TXN_ID), decision.outcome(), decision.score(),
                    decision.journalIndex());
            }, 1);
            Thread.onSpinWait();
        }
        return answer;
    }
}

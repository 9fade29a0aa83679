package io.ecap.model.json;

import io.ecap.model.Outcome;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.DecisionFlyweight;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Decision JSON, both ways:
 *
 * <pre>
 * {"txnId":"t-1","decision":"DECLINE","score":870,
 *  "reasons":[{"code":"CARD_TESTING","detail":"many small amounts on one card","value":9}],
 *  "ruleSetVersion":"default@3","modelVersion":"none","engineNanos":1830,"journalIndex":81604378625}
 * </pre>
 *
 * Writing is what the gateway answers; parsing serves clients and tools, with the same strictness as every input.
 */
public final class DecisionJson {
    private static final byte[][] NAMES = {
        JsonFields.ascii("txnId"), JsonFields.ascii("decision"), JsonFields.ascii("score"),
        JsonFields.ascii("reasons"), JsonFields.ascii("ruleSetVersion"), JsonFields.ascii("modelVersion"),
        JsonFields.ascii("engineNanos"), JsonFields.ascii("journalIndex"),
    };
    private static final String[] FIELD_NAMES = {
        "txnId", "decision", "score", "reasons", "ruleSetVersion", "modelVersion", "engineNanos", "journalIndex",
    };
    /** Every JSON field of the contract (the OpenAPI document lists the same; a test holds the two together). */
    public static final List<String> FIELDS = List.of(FIELD_NAMES);
    private static final byte[] CODE = JsonFields.ascii("code");
    private static final byte[] DETAIL = JsonFields.ascii("detail");
    private static final byte[] VALUE = JsonFields.ascii("value");
    private static final int VERSION_MAX = 64;

    private final JsonFields fields = new JsonFields();
    private final StringSlots strings = new StringSlots(3, VERSION_MAX);
    private final StringSlots reasonStrings = new StringSlots(2 * DecisionFlyweight.MAX_REASONS,
        DecisionFlyweight.MAX_DETAIL_LENGTH);
    private final double[] reasonValues = new double[DecisionFlyweight.MAX_REASONS];
    private final DecisionFlyweight flyweight = new DecisionFlyweight();

    /** Writes a decision. */
    public void write(final DecisionFlyweight decision, final JsonWriter out) {
        write(decision, decision.journalIndex(), out);
    }

    /**
     * Writes a decision with the given journal index (a decision read back from the journal carries 0: its index is
     * the entry's, known only once it was appended).
     */
    public void write(final DecisionFlyweight decision, final long journalIndex, final JsonWriter out) {
        out.beginObject();
        out.name("txnId").value(decision.buffer(), decision.stringOffset(DecisionFlyweight.TXN_ID),
            decision.stringLength(DecisionFlyweight.TXN_ID));
        out.name("decision").value(decision.outcome().name());
        out.name("score").value(decision.score());
        out.name("reasons").beginArray();
        for (int i = 0; i < decision.reasonCount(); i++) {
            out.beginObject();
            out.name("code").value(decision.buffer(), decision.reasonCodeOffset(i), decision.reasonCodeLength(i));
            out.name("detail").value(decision.buffer(), decision.reasonDetailOffset(i),
                decision.reasonDetailLength(i));
            out.name("value").value(decision.reasonValue(i));
            out.endObject();
        }
        out.endArray();
        out.name("ruleSetVersion").value(decision.buffer(), decision.stringOffset(DecisionFlyweight.RULE_SET_VERSION),
            decision.stringLength(DecisionFlyweight.RULE_SET_VERSION));
        out.name("modelVersion").value(decision.buffer(), decision.stringOffset(DecisionFlyweight.MODEL_VERSION),
            decision.stringLength(DecisionFlyweight.MODEL_VERSION));
        out.name("engineNanos").value(decision.engineNanos());
        out.name("journalIndex").value(journalIndex);
        out.endObject();
    }

    /** Parses a decision document and encodes it at {@code target[at]}; returns the encoded length. */
    public int parse(final DirectBuffer json, final int offset, final int length,
        final MutableDirectBuffer target, final int at) {
        strings.clear();
        reasonStrings.clear();
        Outcome outcome = null;
        int score = 0;
        int reasons = 0;
        long engineNanos = 0;
        long journalIndex = 0;
        fields.begin(json, offset, length);
        final JsonReader reader = fields.reader;
        for (int f = fields.nextField(NAMES, FIELD_NAMES); f >= 0; f = fields.nextField(NAMES, FIELD_NAMES)) {
            switch (f) {
                case 0 -> fields.id(strings, DecisionFlyweight.TXN_ID, 64);
                case 1 -> outcome = Outcome.valueOf(Names.oneOf(reader, "APPROVE", "REVIEW", "DECLINE"));
                case 2 -> score = (int) fields.wholeNumber(0, DecisionFlyweight.MAX_SCORE);
                case 3 -> reasons = reasons(reader);
                case 4 -> fields.text(strings, DecisionFlyweight.RULE_SET_VERSION, VERSION_MAX);
                case 5 -> fields.text(strings, DecisionFlyweight.MODEL_VERSION, VERSION_MAX);
                case 6 -> engineNanos = fields.wholeNumber(0, Long.MAX_VALUE);
                case 7 -> journalIndex = fields.wholeNumber(0, Long.MAX_VALUE);
                default -> throw new IllegalStateException("unhandled field " + f);
            }
        }
        reader.endDocument();
        for (int f = 0; f < FIELD_NAMES.length; f++) {
            fields.require(f, FIELD_NAMES[f]);
        }
        final DecisionFlyweight out = flyweight.wrapForEncode(target, at)
            .outcome(outcome).score(score).engineNanos(engineNanos).journalIndex(journalIndex);
        for (int slot = DecisionFlyweight.TXN_ID; slot <= DecisionFlyweight.MODEL_VERSION; slot++) {
            out.putString(slot, strings.buffer(), strings.offset(slot), strings.length(slot));
        }
        for (int i = 0; i < reasons; i++) {
            out.addReason(view(2 * i), view(2 * i + 1), reasonValues[i]);
        }
        return out.encodedLength();
    }

    private CharSequence view(final int slot) {
        return new org.agrona.AsciiSequenceView(reasonStrings.buffer(), reasonStrings.offset(slot),
            reasonStrings.length(slot));
    }

    private int reasons(final JsonReader reader) {
        int count = 0;
        reader.beginArray();
        while (reader.nextElement()) {
            if (count == DecisionFlyweight.MAX_REASONS) {
                throw reader.value("has more than " + DecisionFlyweight.MAX_REASONS + " reasons");
            }
            reader.beginObjectValue();
            reasonValues[count] = Double.NaN;
            boolean hasCode = false;
            while (reader.nextField()) {
                if (reader.fieldIs(CODE)) {
                    reader.field("reasons.code");
                    fields.text(reasonStrings, 2 * count, DecisionFlyweight.MAX_CODE_LENGTH);
                    hasCode = true;
                } else if (reader.fieldIs(DETAIL)) {
                    reader.field("reasons.detail");
                    fields.text(reasonStrings, 2 * count + 1, DecisionFlyweight.MAX_DETAIL_LENGTH);
                } else if (reader.fieldIs(VALUE)) {
                    reader.field("reasons.value");
                    if (reader.peekNull()) {
                        reader.readNull();
                        reasonValues[count] = Double.NaN;
                    } else {
                        reasonValues[count] = fields.number(-Double.MAX_VALUE, Double.MAX_VALUE);
                    }
                } else {
                    reader.skipValue();
                }
            }
            if (!hasCode) {
                throw new ValidationException("reasons.code", "is required");
            }
            count++;
        }
        reader.field("reasons");
        return count;
    }

}

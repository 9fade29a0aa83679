package io.ecap.model.json;

import io.ecap.model.LabelSource;
import io.ecap.model.LabelValue;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.field.Ids;
import io.ecap.model.field.Timestamps;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Label JSON, both ways: {@code {"txnId":"t-1","label":"FRAUD","source":"CHARGEBACK","ts":"2026-11-24T10:00:00Z"}}.
 * All four fields are required.
 */
public final class LabelJson {
    private static final byte[][] NAMES = {
        JsonFields.ascii("txnId"), JsonFields.ascii("label"), JsonFields.ascii("source"), JsonFields.ascii("ts"),
    };
    private static final String[] FIELD_NAMES = {"txnId", "label", "source", "ts"};
    /** Every JSON field of the contract (the OpenAPI document lists the same; a test holds the two together). */
    public static final List<String> FIELDS = List.of(FIELD_NAMES);

    private final JsonFields fields = new JsonFields();
    private final StringSlots strings = new StringSlots(1, Ids.MAX_LENGTH);
    private final LabelFlyweight flyweight = new LabelFlyweight();

    public int parse(final DirectBuffer json, final int offset, final int length,
        final MutableDirectBuffer target, final int at) {
        strings.clear();
        LabelValue label = null;
        LabelSource source = null;
        long ts = 0;
        fields.begin(json, offset, length);
        final JsonReader reader = fields.reader;
        for (int f = fields.nextField(NAMES, FIELD_NAMES); f >= 0; f = fields.nextField(NAMES, FIELD_NAMES)) {
            switch (f) {
                case 0 -> fields.txnId(strings, LabelFlyweight.TXN_ID);
                case 1 -> label = LabelValue.valueOf(Names.oneOf(reader, "FRAUD", "LEGIT"));
                case 2 -> source = LabelSource.valueOf(Names.oneOf(reader, "CHARGEBACK", "ANALYST"));
                case 3 -> ts = fields.timestamp();
                default -> throw new IllegalStateException("unhandled field " + f);
            }
        }
        reader.endDocument();
        for (int f = 0; f < FIELD_NAMES.length; f++) {
            fields.require(f, FIELD_NAMES[f]);
        }
        return flyweight.wrapForEncode(target, at).tsMs(ts).label(label).source(source)
            .txnId(strings.buffer(), strings.offset(0), strings.length(0))
            .encodedLength();
    }

    public void write(final LabelFlyweight label, final JsonWriter out) {
        out.beginObject();
        out.name("txnId").value(label.txnId());
        out.name("label").value(label.label().name());
        out.name("source").value(label.source().name());
        out.name("ts").value(Timestamps.formatIso(label.tsMs()));
        out.endObject();
    }
}

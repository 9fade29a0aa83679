package io.ecap.model.json;

import io.ecap.model.ValidationException;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.field.Currencies;
import io.ecap.model.field.Ids;
import io.ecap.model.field.Segments;
import io.ecap.model.field.Timestamps;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Customer profile JSON, both ways: what the lake knows of a customer, as the engine's features see it.
 *
 * <pre>
 * required: customerId, ts (the time the profile is as of), and at least one of: segment (an RFM segment name),
 *           clv + currency (together; predicted lifetime value, 0 or more), churnRisk (0 to 1),
 *           lifetimeOrders (0 or more)
 * </pre>
 */
public final class CustomerProfileJson {
    public static final int MAX_ORDERS = 1_000_000_000;
    private static final byte[][] NAMES = {
        JsonFields.ascii("customerId"), JsonFields.ascii("ts"), JsonFields.ascii("segment"), JsonFields.ascii("clv"),
        JsonFields.ascii("currency"), JsonFields.ascii("churnRisk"), JsonFields.ascii("lifetimeOrders"),
    };
    private static final String[] FIELD_NAMES = {"customerId", "ts", "segment", "clv", "currency", "churnRisk",
        "lifetimeOrders"};
    /** Every JSON field of the contract (the OpenAPI document lists the same; a test holds the two together). */
    public static final List<String> FIELDS = List.of(FIELD_NAMES);

    private final JsonFields fields = new JsonFields();
    private final StringSlots strings = new StringSlots(2, Ids.MAX_LENGTH);
    private final CustomerProfileFlyweight flyweight = new CustomerProfileFlyweight();

    public int parse(final DirectBuffer json, final int offset, final int length,
        final MutableDirectBuffer target, final int at) {
        strings.clear();
        long ts = 0;
        int currency = Currencies.ABSENT;
        int segment = Segments.ABSENT;
        double churn = Double.NaN;
        int orders = (int) CustomerProfileFlyweight.ABSENT;
        fields.begin(json, offset, length);
        final JsonReader reader = fields.reader;
        for (int f = fields.nextField(NAMES, FIELD_NAMES); f >= 0; f = fields.nextField(NAMES, FIELD_NAMES)) {
            switch (f) {
                case 0 -> fields.id(strings, 0, Ids.MAX_LENGTH);
                case 1 -> ts = fields.timestamp();
                case 2 -> segment = segment();
                case 3 -> fields.amount(true);
                case 4 -> currency = fields.currency();
                case 5 -> churn = fields.number(0, 1);
                case 6 -> orders = (int) fields.wholeNumber(0, MAX_ORDERS);
                default -> throw new IllegalStateException("unhandled field " + f);
            }
        }
        reader.endDocument();
        fields.require(0, "customerId");
        fields.require(1, "ts");
        long clv = CustomerProfileFlyweight.ABSENT;
        if (fields.wasSeen(3) || fields.wasSeen(4)) {
            fields.require(3, "clv");
            fields.require(4, "currency");
            clv = fields.amountInMinorUnits(currency, "clv", TransactionJson.MAX_AMOUNT_MINOR);
        }
        if (!fields.wasSeen(2) && !fields.wasSeen(3) && !fields.wasSeen(5) && !fields.wasSeen(6)) {
            throw new ValidationException("segment",
                "a customer profile needs at least one of segment, clv, churnRisk, lifetimeOrders");
        }
        return flyweight.wrapForEncode(target, at).tsMs(ts).clvMinor(clv).currency(currency).churnRisk(churn)
            .lifetimeOrders(orders).segment(segment)
            .putString(CustomerProfileFlyweight.CUSTOMER_ID, strings.buffer(), strings.offset(0), strings.length(0))
            .encodedLength();
    }

    private int segment() {
        fields.text(strings, 1, 32);
        final String name = strings.buffer().getStringWithoutLengthAscii(strings.offset(1), strings.length(1));
        final int code = Segments.code(name);
        if (code == Segments.ABSENT) {
            throw new ValidationException("segment", "\"" + name + "\" is not an RFM segment (one of "
                + String.join(", ", Segments.NAMES) + ")");
        }
        return code;
    }

    public void write(final CustomerProfileFlyweight profile, final JsonWriter out) {
        out.beginObject();
        out.name("customerId").value(profile.string(CustomerProfileFlyweight.CUSTOMER_ID));
        out.name("ts").value(Timestamps.formatIso(profile.tsMs()));
        if (profile.segment() != Segments.ABSENT) {
            out.name("segment").value(Segments.name(profile.segment()));
        }
        if (profile.clvMinor() != CustomerProfileFlyweight.ABSENT) {
            out.name("clv").decimalString(profile.clvMinor(), Currencies.exponentOf(profile.currency()));
            out.name("currency").value(Currencies.codeOf(profile.currency()));
        }
        if (!Double.isNaN(profile.churnRisk())) {
            out.name("churnRisk").value(profile.churnRisk());
        }
        if (profile.lifetimeOrders() != CustomerProfileFlyweight.ABSENT) {
            out.name("lifetimeOrders").value(profile.lifetimeOrders());
        }
        out.endObject();
    }
}

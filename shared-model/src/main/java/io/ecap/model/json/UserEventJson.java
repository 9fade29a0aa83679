package io.ecap.model.json;

import static io.ecap.model.binary.UserEventFlyweight.CAMPAIGN;
import static io.ecap.model.binary.UserEventFlyweight.CUSTOMER_ID;
import static io.ecap.model.binary.UserEventFlyweight.EVENT_ID;
import static io.ecap.model.binary.UserEventFlyweight.PRODUCT_ID;
import static io.ecap.model.binary.UserEventFlyweight.SESSION_ID;

import io.ecap.model.Channel;
import io.ecap.model.UserEventType;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.field.Currencies;
import io.ecap.model.field.Ids;
import io.ecap.model.field.Timestamps;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Clickstream event JSON, both ways.
 *
 * <pre>
 * required: eventId, ts, type (page_view, search, product_view, add_to_cart, remove_from_cart, checkout_start,
 *           purchase), sessionId
 * optional: customerId, productId, channel (WEB|APP|POS), campaign, amount + currency (together; order value)
 * </pre>
 */
public final class UserEventJson {
    private static final byte[][] NAMES = {
        JsonFields.ascii("eventId"), JsonFields.ascii("ts"), JsonFields.ascii("type"), JsonFields.ascii("sessionId"),
        JsonFields.ascii("customerId"), JsonFields.ascii("productId"), JsonFields.ascii("channel"),
        JsonFields.ascii("campaign"), JsonFields.ascii("amount"), JsonFields.ascii("currency"),
    };
    private static final String[] FIELD_NAMES = {
        "eventId", "ts", "type", "sessionId", "customerId", "productId", "channel", "campaign", "amount", "currency",
    };
    /** Every JSON field of the contract (the OpenAPI document lists the same; a test holds the two together). */
    public static final List<String> FIELDS = List.of(FIELD_NAMES);
    private static final String[] TYPE_NAMES;
    private static final UserEventType[] TYPES = UserEventType.values();

    static {
        TYPE_NAMES = new String[TYPES.length];
        for (int i = 0; i < TYPES.length; i++) {
            TYPE_NAMES[i] = TYPES[i].jsonName();
        }
    }

    private final JsonFields fields = new JsonFields();
    private final StringSlots strings = new StringSlots(5, Ids.MAX_LENGTH);
    private final UserEventFlyweight flyweight = new UserEventFlyweight();

    public int parse(final DirectBuffer json, final int offset, final int length,
        final MutableDirectBuffer target, final int at) {
        strings.clear();
        long ts = 0;
        UserEventType type = null;
        int channel = Channel.ABSENT;
        int currency = Currencies.ABSENT;
        fields.begin(json, offset, length);
        final JsonReader reader = fields.reader;
        for (int f = fields.nextField(NAMES, FIELD_NAMES); f >= 0; f = fields.nextField(NAMES, FIELD_NAMES)) {
            switch (f) {
                case 0 -> fields.id(strings, EVENT_ID, Ids.MAX_LENGTH);
                case 1 -> ts = fields.timestamp();
                case 2 -> type = type(Names.oneOf(reader, TYPE_NAMES));
                case 3 -> fields.id(strings, SESSION_ID, Ids.MAX_LENGTH);
                case 4 -> fields.id(strings, CUSTOMER_ID, Ids.MAX_LENGTH);
                case 5 -> fields.id(strings, PRODUCT_ID, Ids.MAX_LENGTH);
                case 6 -> channel = fields.channel();
                case 7 -> fields.id(strings, CAMPAIGN, Ids.MAX_LENGTH);
                case 8 -> fields.amount();
                case 9 -> currency = fields.currency();
                default -> throw new IllegalStateException("unhandled field " + f);
            }
        }
        reader.endDocument();
        for (int f = 0; f < 4; f++) {
            fields.require(f, FIELD_NAMES[f]);
        }
        long amountMinor = 0;
        if (fields.wasSeen(8) || fields.wasSeen(9)) {
            fields.require(8, "amount");
            fields.require(9, "currency");
            amountMinor = fields.amountInMinorUnits(currency, "amount", TransactionJson.MAX_AMOUNT_MINOR);
        }
        final UserEventFlyweight out = flyweight.wrapForEncode(target, at)
            .tsMs(ts).type(type).channel(channel).amountMinor(amountMinor).currency(currency);
        for (int slot = EVENT_ID; slot <= CAMPAIGN; slot++) {
            out.putString(slot, strings.buffer(), strings.offset(slot), strings.length(slot));
        }
        return out.encodedLength();
    }

    private static UserEventType type(final String name) {
        for (final UserEventType t : TYPES) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        throw new ValidationException("type", "unknown event type");
    }

    public void write(final UserEventFlyweight event, final JsonWriter out) {
        out.beginObject();
        out.name("eventId").value(event.string(EVENT_ID));
        out.name("ts").value(Timestamps.formatIso(event.tsMs()));
        out.name("type").value(event.type().jsonName());
        out.name("sessionId").value(event.string(SESSION_ID));
        optional(out, "customerId", event.string(CUSTOMER_ID));
        optional(out, "productId", event.string(PRODUCT_ID));
        if (event.channel() != Channel.ABSENT) {
            out.name("channel").value(Channel.ofCode(event.channel()).name());
        }
        optional(out, "campaign", event.string(CAMPAIGN));
        if (event.currency() != Currencies.ABSENT) {
            out.name("amount").decimalString(event.amountMinor(), Currencies.exponentOf(event.currency()));
            out.name("currency").value(Currencies.codeOf(event.currency()));
        }
        out.endObject();
    }

    static void optional(final JsonWriter out, final String name, final String value) {
        if (value != null) {
            out.name(name).value(value);
        }
    }
}

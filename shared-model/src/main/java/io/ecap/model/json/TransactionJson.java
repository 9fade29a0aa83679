package io.ecap.model.json;

import static io.ecap.model.binary.TransactionFlyweight.BIN;
import static io.ecap.model.binary.TransactionFlyweight.CARD_ID;
import static io.ecap.model.binary.TransactionFlyweight.CUSTOMER_ID;
import static io.ecap.model.binary.TransactionFlyweight.DEVICE_ID;
import static io.ecap.model.binary.TransactionFlyweight.EMAIL_HASH;
import static io.ecap.model.binary.TransactionFlyweight.IP;
import static io.ecap.model.binary.TransactionFlyweight.MERCHANT_ID;
import static io.ecap.model.binary.TransactionFlyweight.TXN_ID;

import io.ecap.model.Channel;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Countries;
import io.ecap.model.field.Currencies;
import io.ecap.model.field.Ids;
import io.ecap.model.field.IpAddresses;
import io.ecap.model.field.Timestamps;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Transaction JSON, both ways. Fields (DESIGN.md "Contracts"):
 *
 * <pre>
 * required: txnId, ts (ISO-8601 or epoch ms), customerId, cardId (a token), merchantId,
 *           amount (decimal string or number), currency (ISO 4217)
 * optional: deviceId, ip, country (ISO 3166 alpha-2), lat + lon (together), channel (WEB|APP|POS),
 *           mcc (0-9999), email (a hash of the address, never the address), bin (the card's first 6 or 8
 *           digits, a string)
 * </pre>
 *
 * Unknown fields are ignored; null means absent; a field given twice is rejected; a card number in any text field is
 * refused ({@link io.ecap.model.field.PanMask}). One instance per thread; parsing a valid document allocates nothing
 * unless it carries an ip (normalised to canonical text).
 */
public final class TransactionJson {
    /** Largest amount accepted, in minor units. */
    public static final long MAX_AMOUNT_MINOR = 100_000_000_000_000L;
    public static final int MAX_EMAIL_HASH_LENGTH = 128;

    private static final byte[][] NAMES = {
        JsonFields.ascii("txnId"), JsonFields.ascii("ts"), JsonFields.ascii("customerId"),
        JsonFields.ascii("cardId"), JsonFields.ascii("merchantId"), JsonFields.ascii("amount"),
        JsonFields.ascii("currency"), JsonFields.ascii("deviceId"), JsonFields.ascii("ip"),
        JsonFields.ascii("country"), JsonFields.ascii("lat"), JsonFields.ascii("lon"),
        JsonFields.ascii("channel"), JsonFields.ascii("mcc"), JsonFields.ascii("email"), JsonFields.ascii("bin"),
    };
    private static final String[] FIELD_NAMES = {
        "txnId", "ts", "customerId", "cardId", "merchantId", "amount", "currency", "deviceId", "ip", "country",
        "lat", "lon", "channel", "mcc", "email", "bin",
    };
    /** Every JSON field of the contract (the OpenAPI document lists the same; a test holds the two together). */
    public static final List<String> FIELDS = List.of(FIELD_NAMES);
    private static final int F_TXN = 0;
    private static final int F_TS = 1;
    private static final int F_CUSTOMER = 2;
    private static final int F_CARD = 3;
    private static final int F_MERCHANT = 4;
    private static final int F_AMOUNT = 5;
    private static final int F_CURRENCY = 6;
    private static final int F_DEVICE = 7;
    private static final int F_IP = 8;
    private static final int F_COUNTRY = 9;
    private static final int F_LAT = 10;
    private static final int F_LON = 11;
    private static final int F_CHANNEL = 12;
    private static final int F_MCC = 13;
    private static final int F_EMAIL = 14;
    private static final int F_BIN = 15;
    private static final int[] REQUIRED = {F_TXN, F_TS, F_CUSTOMER, F_CARD, F_MERCHANT, F_AMOUNT, F_CURRENCY};

    private final JsonFields fields = new JsonFields();
    private final StringSlots strings = new StringSlots(8, MAX_EMAIL_HASH_LENGTH);
    private final TransactionFlyweight flyweight = new TransactionFlyweight();
    private final StringBuilder ipText = new StringBuilder(64);
    /** The timestamp's and the country's text while they are written (so that writing allocates no String for them). */
    private final StringBuilder text = new StringBuilder(32);
    private final UnsafeBuffer ipBuffer = new UnsafeBuffer(new byte[64]);

    /**
     * Parses one transaction document and encodes it at {@code target[at]}.
     *
     * @return the encoded length, at most {@link TransactionFlyweight#MAX_LENGTH}.
     * @throws ValidationException naming the field and the problem.
     */
    public int parse(final DirectBuffer json, final int offset, final int length,
        final MutableDirectBuffer target, final int at) {
        strings.clear();
        long ts = 0;
        int currency = 0;
        int country = Countries.ABSENT;
        int channel = Channel.ABSENT;
        int mcc = TransactionFlyweight.MCC_ABSENT;
        double lat = Double.NaN;
        double lon = Double.NaN;
        fields.begin(json, offset, length);
        final JsonReader reader = fields.reader;
        for (int f = fields.nextField(NAMES, FIELD_NAMES); f >= 0; f = fields.nextField(NAMES, FIELD_NAMES)) {
            switch (f) {
                case F_TXN -> fields.txnId(strings, TXN_ID);
                case F_TS -> ts = fields.timestamp();
                case F_CUSTOMER -> fields.pathId(strings, CUSTOMER_ID, "GET /v1/customers/{customerId}");
                case F_CARD -> fields.id(strings, CARD_ID, Ids.MAX_LENGTH);
                case F_MERCHANT -> fields.id(strings, MERCHANT_ID, Ids.MAX_LENGTH);
                case F_AMOUNT -> fields.amount();
                case F_CURRENCY -> currency = fields.currency();
                case F_DEVICE -> fields.id(strings, DEVICE_ID, Ids.MAX_LENGTH);
                case F_IP -> readIp(reader);
                case F_COUNTRY -> country = fields.country();
                case F_LAT -> lat = fields.number(-90, 90);
                case F_LON -> lon = fields.number(-180, 180);
                case F_CHANNEL -> channel = fields.channel();
                case F_MCC -> mcc = (int) fields.wholeNumber(0, 9999);
                case F_EMAIL -> fields.id(strings, EMAIL_HASH, MAX_EMAIL_HASH_LENGTH);
                case F_BIN -> fields.bin(strings, BIN);
                default -> throw new IllegalStateException("unhandled field " + f);
            }
        }
        reader.endDocument();
        for (final int required : REQUIRED) {
            fields.require(required, FIELD_NAMES[required]);
        }
        checkCrossFields(lat, lon);
        final long amountMinor = fields.amountInMinorUnits(currency, "amount", MAX_AMOUNT_MINOR);
        final TransactionFlyweight out = flyweight.wrapForEncode(target, at)
            .tsMs(ts).amountMinor(amountMinor).currency(currency).country(country).channel(channel).mcc(mcc)
            .lat(lat).lon(lon);
        for (int slot = TXN_ID; slot <= EMAIL_HASH; slot++) {
            out.putString(slot, strings.buffer(), strings.offset(slot), strings.length(slot));
        }
        if (strings.length(BIN) > 0) {
            out.putString(BIN, strings.buffer(), strings.offset(BIN), strings.length(BIN));
        }
        return out.encodedLength();
    }


    private void readIp(final JsonReader reader) {
        final int length = reader.readString();
        fields.refuseCardNumber(length);
        if (length > IpAddresses.MAX_TEXT_LENGTH) {
            throw reader.value("is not an IPv4 or IPv6 address literal");
        }
        if (IpAddresses.isCanonicalIpv4(reader.stringBuffer(), 0, length)) {
            strings.copy(IP, reader.stringBuffer(), 0, length);
            return;
        }
        ipText.setLength(0);
        for (int i = 0; i < length; i++) {
            ipText.append((char) reader.stringBuffer().getByte(i));
        }
        final String canonical = IpAddresses.canonical(ipText, "ip");
        ipBuffer.putStringWithoutLengthAscii(0, canonical);
        strings.copy(IP, ipBuffer, 0, canonical.length());
    }

    private void checkCrossFields(final double lat, final double lon) {
        if (Double.isNaN(lat) != Double.isNaN(lon)) {
            throw new ValidationException(Double.isNaN(lat) ? "lat" : "lon",
                "is required when " + (Double.isNaN(lat) ? "lon" : "lat") + " is given");
        }
        if (strings.contains(EMAIL_HASH, (byte) '@')) {
            throw new ValidationException("email", "must be a hash of the e-mail address, not the address itself");
        }
    }

    /** Writes the transaction as JSON (amount as an exact decimal string, ts as ISO-8601). */
    public void write(final TransactionFlyweight txn, final JsonWriter out) {
        out.beginObject();
        string(out, "txnId", txn, TXN_ID);
        text.setLength(0);
        Timestamps.formatIso(txn.tsMs(), text);
        out.name("ts").value(text);
        string(out, "customerId", txn, CUSTOMER_ID);
        string(out, "cardId", txn, CARD_ID);
        string(out, "merchantId", txn, MERCHANT_ID);
        out.name("amount").decimalString(txn.amountMinor(), Currencies.exponentOf(txn.currency()));
        out.name("currency").value(Currencies.codeOf(txn.currency()));
        string(out, "deviceId", txn, DEVICE_ID);
        string(out, "ip", txn, IP);
        if (txn.country() != Countries.ABSENT) {
            text.setLength(0);
            out.name("country").value(text.append((char) (txn.country() >>> 8)).append((char) (txn.country() & 0xFF)));
        }
        if (txn.hasLocation()) {
            out.name("lat").value(txn.lat());
            out.name("lon").value(txn.lon());
        }
        if (txn.channel() != Channel.ABSENT) {
            out.name("channel").value(Channel.ofCode(txn.channel()).name());
        }
        if (txn.mcc() != TransactionFlyweight.MCC_ABSENT) {
            out.name("mcc").value(txn.mcc());
        }
        string(out, "email", txn, EMAIL_HASH);
        string(out, "bin", txn, BIN);
        out.endObject();
    }

    private static void string(final JsonWriter out, final String name, final TransactionFlyweight txn,
        final int field) {
        if (txn.stringLength(field) > 0) {
            out.name(name).value(txn.buffer(), txn.stringOffset(field), txn.stringLength(field));
        }
    }
}

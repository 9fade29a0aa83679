package io.ecap.model.json;

import io.ecap.model.Channel;
import io.ecap.model.ValidationException;
import io.ecap.model.field.Countries;
import io.ecap.model.field.Currencies;
import io.ecap.model.field.Ids;
import io.ecap.model.field.Timestamps;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * Typed field readers shared by the JSON codecs: each reads the current value of a {@link JsonReader}, checks it
 * against the contract and names the field in every error.
 */
final class JsonFields {
    final JsonReader reader = new JsonReader();
    final Decimal decimal = new Decimal();
    /** The amount is kept apart: it is checked against the currency once the whole object is read. */
    private final Decimal amount = new Decimal();
    private long seen;
    /** The last field's position in the names: writers usually send fields in one order, so the next is tried first. */
    private int lastField;

    static byte[] ascii(final String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts a document: resets the reader and the duplicate-field check. */
    void begin(final DirectBuffer json, final int offset, final int length) {
        reader.reset(json, offset, length);
        reader.beginObject();
        seen = 0;
        lastField = -1;
    }

    /**
     * Moves to the next known field that has a value: unknown fields are skipped, {@code null} means absent, a field
     * given twice is rejected. Returns the field's position in {@code names}, or -1 at the end of the object.
     */
    int nextField(final byte[][] names, final String[] fieldNames) {
        while (reader.nextField()) {
            final int f = Names.indexOf(reader, names, lastField + 1);
            if (f < 0) {
                reader.skipValue();
                continue;
            }
            lastField = f;
            if (present(f, fieldNames[f])) {
                return f;
            }
        }
        return -1;
    }

    /** Marks field {@code bit} as read; a second occurrence is rejected. Returns false if the value is null. */
    boolean present(final int bit, final String name) {
        reader.field(name);
        if ((seen & 1L << bit) != 0) {
            throw new ValidationException(name, "appears more than once");
        }
        seen |= 1L << bit;
        if (reader.peekNull()) {
            reader.readNull();
            seen &= ~(1L << bit);
            return false;
        }
        return true;
    }

    boolean wasSeen(final int bit) {
        return (seen & 1L << bit) != 0;
    }

    void require(final int bit, final String name) {
        if ((seen & 1L << bit) == 0) {
            throw new ValidationException(name, "is required");
        }
    }

    /** Reads an identifier into a slot. */
    void id(final StringSlots slots, final int slot, final int maxLength) {
        final int length = reader.readString();
        refuseCardNumber(length);
        Ids.check(reader.stringBuffer(), 0, length, maxLength, reader.field());
        slots.copy(slot, reader.stringBuffer(), 0, length);
    }

    /** Reads a card's BIN: a string of exactly 6 or 8 digits (a card number is refused as in any field). */
    void bin(final StringSlots slots, final int slot) {
        final int length = reader.readString();
        refuseCardNumber(length);
        final DirectBuffer value = reader.stringBuffer();
        boolean digits = length == 6 || length == 8;
        for (int i = 0; i < length && digits; i++) {
            final byte b = value.getByte(i);
            digits = b >= '0' && b <= '9';
        }
        if (!digits) {
            throw reader.value("expected the card's first 6 or 8 digits (its BIN), as a string");
        }
        slots.copy(slot, value, 0, length);
    }

    /** Refuses the string value just read if it holds a card number, in any field ({@link Ids#refuseCardNumber}). */
    void refuseCardNumber(final int length) {
        Ids.refuseCardNumber(reader.stringBuffer(), 0, length, reader.field());
    }

    /** Reads a transaction id: an identifier that can also be fetched back by URL ({@link Ids#checkPathSegment}). */
    void txnId(final StringSlots slots, final int slot) {
        pathId(slots, slot, "GET /v1/decisions/{txnId}");
    }

    /** Reads an id that a route names in its path ({@code route}, for the message): never "." or "..". */
    void pathId(final StringSlots slots, final int slot, final String route) {
        id(slots, slot, Ids.MAX_LENGTH);
        Ids.checkPathSegment(slots.buffer(), slots.offset(slot), slots.length(slot), reader.field(), route);
    }

    /** Reads a free-text field (printable ASCII and spaces) into a slot. */
    void text(final StringSlots slots, final int slot, final int maxLength) {
        final int length = reader.readString();
        refuseCardNumber(length);
        if (length == 0 || length > maxLength) {
            throw reader.value("must be 1 to " + maxLength + " characters long");
        }
        for (int i = 0; i < length; i++) {
            final byte b = reader.stringBuffer().getByte(i);
            if (b < ' ' || b > '~') {
                throw reader.value("must be printable ASCII");
            }
        }
        slots.copy(slot, reader.stringBuffer(), 0, length);
    }

    /** Reads an event time: ISO-8601 text or integral epoch milliseconds. */
    long timestamp() {
        if (reader.peek() == '"') {
            final int length = reader.readString();
            return Timestamps.parseIso(reader.stringBuffer(), 0, length, reader.field());
        }
        if (reader.peek() != '0') {
            throw reader.wrongType("an ISO-8601 string or epoch milliseconds");
        }
        reader.readNumber();
        decimal.parse(reader.buffer(), reader.numberStart(), reader.numberLength(), true);
        final long ms = decimal.toUnits(0);
        if (ms == Long.MIN_VALUE) {
            throw reader.value("must be whole epoch milliseconds");
        }
        return Timestamps.checkRange(ms, reader.field());
    }

    /** Reads a decimal amount (string or number) into {@link #decimal}; checks sign and grammar only. */
    void amount() {
        amount(false);
    }

    /** As {@link #amount()}; with {@code zeroAllowed} an amount of zero is accepted too. */
    void amount(final boolean zeroAllowed) {
        final boolean ok;
        if (reader.peek() == '"') {
            final int length = reader.readString();
            ok = amount.parse(reader.stringBuffer(), 0, length, false);
        } else if (reader.peek() == '0') {
            reader.readNumber();
            ok = amount.parse(reader.buffer(), reader.numberStart(), reader.numberLength(), true);
        } else {
            throw reader.wrongType("a decimal amount as a string or number");
        }
        if (!ok) {
            throw reader.value("is not a decimal number (expected digits with an optional '.', e.g. \"12.50\")");
        }
        if (amount.isNegative() || amount.isZero() && !zeroAllowed) {
            throw reader.value(zeroAllowed ? "must not be negative" : "must be greater than zero");
        }
    }

    /** Converts the amount read last into minor units of the currency, or explains why it cannot. */
    long amountInMinorUnits(final int currency, final String amountField, final long maxMinor) {
        final int exponent = Currencies.exponentOf(currency);
        final long minor = amount.toUnits(exponent);
        if (minor == Long.MIN_VALUE) {
            if (amount.significantScale() > exponent) {
                throw new ValidationException(amountField, "has " + amount.significantScale()
                    + " decimal places but " + Currencies.codeOf(currency) + " allows " + exponent);
            }
            throw new ValidationException(amountField, "is too large");
        }
        if (minor > maxMinor) {
            throw new ValidationException(amountField, "is too large (at most " + maxMinor + " minor units)");
        }
        return minor;
    }

    int currency() {
        final int length = reader.readString();
        final int numeric = Currencies.numericOf(reader.stringBuffer(), 0, length);
        if (numeric == Currencies.ABSENT) {
            throw reader.value("is not a supported ISO 4217 currency code (e.g. \"EUR\", \"USD\")");
        }
        return numeric;
    }

    int country() {
        final int length = reader.readString();
        final int packed = length == 2
            ? Countries.pack(reader.stringBuffer().getByte(0), reader.stringBuffer().getByte(1)) : Countries.ABSENT;
        if (packed == Countries.ABSENT) {
            throw reader.value("is not an ISO 3166 alpha-2 country code (e.g. \"DE\")");
        }
        return packed;
    }

    int channel() {
        final int length = reader.readString();
        final DirectBuffer s = reader.stringBuffer();
        if (length == 3) {
            for (final Channel c : CHANNELS) {
                final String n = c.name();
                if (s.getByte(0) == n.charAt(0) && s.getByte(1) == n.charAt(1) && s.getByte(2) == n.charAt(2)) {
                    return c.code();
                }
            }
        }
        throw reader.value("must be one of WEB, APP, POS");
    }

    private static final Channel[] CHANNELS = Channel.values();

    /** Reads a number within {@code [min, max]}. */
    double number(final double min, final double max) {
        if (reader.peek() != '0') {
            throw reader.wrongType("a number");
        }
        reader.readNumber();
        decimal.parse(reader.buffer(), reader.numberStart(), reader.numberLength(), true);
        final double value = decimal.toDouble();
        if (!(value >= min && value <= max)) {
            throw reader.value("must be between " + min + " and " + max);
        }
        return value;
    }

    /** Reads a whole number (JSON number, or a string of digits) within {@code [min, max]}. */
    long wholeNumber(final long min, final long max) {
        final boolean ok;
        if (reader.peek() == '"') {
            final int length = reader.readString();
            ok = decimal.parse(reader.stringBuffer(), 0, length, false);
        } else if (reader.peek() == '0') {
            reader.readNumber();
            ok = decimal.parse(reader.buffer(), reader.numberStart(), reader.numberLength(), true);
        } else {
            throw reader.wrongType("a whole number");
        }
        final long value = ok ? decimal.toUnits(0) : Long.MIN_VALUE;
        if (value == Long.MIN_VALUE || value < min || value > max) {
            throw reader.value("must be a whole number from " + min + " to " + max);
        }
        return value;
    }
}

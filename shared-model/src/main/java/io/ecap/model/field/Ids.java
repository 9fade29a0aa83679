package io.ecap.model.field;

import io.ecap.model.ValidationException;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Identifiers (transaction, customer, card token, merchant, device, product, session...): 1 to {@link #MAX_LENGTH}
 * printable ASCII characters ({@code !} to {@code ~}, no spaces).
 */
public final class Ids {
    public static final int MAX_LENGTH = 64;

    private Ids() {
    }

    /** Checks an id held in a buffer; allocates only when it rejects. */
    public static void check(final DirectBuffer text, final int offset, final int length, final int maxLength,
        final String field) {
        if (length == 0) {
            throw new ValidationException(field, "must not be empty");
        }
        if (length > maxLength) {
            throw new ValidationException(field, "is " + length + " characters long (at most " + maxLength + ")");
        }
        text.boundsCheck(offset, length); // once, then every byte unchecked
        final byte[] base = text.byteArray();
        final long address = text.addressOffset() + offset;
        int outside = 0;
        for (int i = 0; i < length; i++) {
            final int b = UnsafeApi.getByte(base, address + i);
            outside |= b - '!' | '~' - b; // negative if b is outside '!'..'~'
        }
        if (outside < 0) {
            throw new ValidationException(field,
                "contains a character that is not printable ASCII (spaces and non-ASCII are not allowed)");
        }
        if (length == Pseudonym.LENGTH && Pseudonym.is(text, offset, length)) {
            throw new ValidationException(field, "has the shape of an erased id's pseudonym ('~' and 24 hex digits), "
                + "which no id may have");
        }
    }

    /**
     * Refuses text that holds a card number ({@link PanMask}): ECAP takes tokens and identifiers, never card numbers.
     * The message names the field and never repeats the value. Allocates only when it refuses.
     */
    public static void refuseCardNumber(final DirectBuffer text, final int offset, final int length,
        final String field) {
        if (PanMask.contains(text, offset, length)) {
            throw new ValidationException(field, "looks like a card number; ECAP takes tokens and identifiers, "
                + "never card numbers");
        }
    }

    /**
     * Checks that an id can be named in a URL path: {@code "."} and {@code ".."} cannot (a URL path drops them as dot
     * segments, RFC 3986), so a transaction with such an id could be scored but never fetched back with
     * {@code GET /v1/decisions/{txnId}} (nor a customer read with {@code GET /v1/customers/{customerId}}). Every other
     * printable id can, percent-encoded where needed.
     *
     * @param route the route that names the id, for the message
     */
    public static void checkPathSegment(final DirectBuffer text, final int offset, final int length,
        final String field, final String route) {
        if (length >= 1 && length <= 2 && text.getByte(offset) == '.' && text.getByte(offset + length - 1) == '.') {
            throw new ValidationException(field, "cannot be '.' or '..' (it could not be fetched back with "
                + route + ")");
        }
    }

    /** Checks an id given as a string. */
    public static String check(final String id, final int maxLength, final String field) {
        if (id == null || id.isEmpty()) {
            throw new ValidationException(field, "must not be empty");
        }
        if (id.length() > maxLength) {
            throw new ValidationException(field, "is " + id.length() + " characters long (at most " + maxLength + ")");
        }
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            if (c < '!' || c > '~') {
                throw new ValidationException(field,
                    "contains a character that is not printable ASCII (spaces and non-ASCII are not allowed)");
            }
        }
        return id;
    }

    /**
     * An entity's id as transactions carry it, for finding it again (an erasure): an IP address in its canonical form
     * ({@link IpAddresses}), any other id checked as {@link #check} does.
     */
    public static String canonical(final boolean ipAddress, final String id, final String field) {
        return ipAddress ? IpAddresses.canonical(id, field) : check(id, MAX_LENGTH, field);
    }
}

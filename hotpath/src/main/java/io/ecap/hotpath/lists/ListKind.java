package io.ecap.hotpath.lists;

import io.ecap.model.ValidationException;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Ids;
import io.ecap.model.field.IpAddresses;
import io.ecap.model.field.PanMask;
import io.ecap.model.json.TransactionJson;
import java.util.Locale;

/**
 * What a block or allow list entry names: a transaction field. Values are checked and put in the form the
 * transaction carries ({@link #canonical}), so that a list entry and a transaction's field hash alike. A BIN entry
 * is a BIN or a range of BINs, matched against the transaction's {@code bin} ({@link BinRanges}).
 */
public enum ListKind {
    CARD(TransactionFlyweight.CARD_ID),
    CUSTOMER(TransactionFlyweight.CUSTOMER_ID),
    DEVICE(TransactionFlyweight.DEVICE_ID),
    IP(TransactionFlyweight.IP),
    /** The transaction's {@code email} field: a hash of the address, never the address (as on the transaction). */
    EMAIL(TransactionFlyweight.EMAIL_HASH),
    /** The transaction's {@code bin}: an entry is a BIN of 6 or 8 digits or a range LO-HI ({@link BinRanges}). */
    BIN(TransactionFlyweight.BIN);

    public static final ListKind[] ALL = values();

    private final int transactionField;

    ListKind(final int transactionField) {
        this.transactionField = transactionField;
    }

    /** The transaction's variable field this kind is matched against. */
    public int transactionField() {
        return transactionField;
    }

    /** Lower case, as in URLs and stream entries: card, customer, device, ip, email, bin. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a label names, or a {@link ValidationException} on {@code field}. */
    public static ListKind parse(final String text, final String field) {
        return ListType.byLabel(ALL, text, field, "card, customer, device, ip, email or bin");
    }

    /**
     * The value as a transaction would carry it, checked as the transaction's field is: ids and tokens as they are
     * (a card number is refused), an IP address in its canonical text, an e-mail hash as it is (an address is
     * refused: the list holds the same hash the transactions carry), a BIN or a range of BINs as it is.
     */
    public String canonical(final String value, final String field) {
        return switch (this) {
            case IP -> {
                if (value == null || value.isEmpty()) {
                    throw new ValidationException(field, "must not be empty");
                }
                if (value.length() > IpAddresses.MAX_TEXT_LENGTH) {
                    throw new ValidationException(field, "is not an IPv4 or IPv6 address literal");
                }
                yield IpAddresses.canonical(value, field);
            }
            case BIN -> {
                BinRanges.range(value, field);
                yield value;
            }
            case EMAIL -> {
                Ids.check(value, TransactionJson.MAX_EMAIL_HASH_LENGTH, field);
                if (value.indexOf('@') >= 0) {
                    throw new ValidationException(field, "must be a hash of the e-mail address, not the address "
                        + "itself");
                }
                yield value;
            }
            default -> {
                Ids.check(value, Ids.MAX_LENGTH, field);
                if (PanMask.contains(value)) {
                    throw new ValidationException(field, "holds a card number: lists take the card token the "
                        + "transactions carry, never a card number");
                }
                yield value;
            }
        };
    }
}

package io.ecap.model.json;

import io.ecap.model.ValidationException;
import io.ecap.model.binary.ProductUpdateFlyweight;
import io.ecap.model.field.Currencies;
import io.ecap.model.field.Ids;
import io.ecap.model.field.Timestamps;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Product update JSON, both ways.
 *
 * <pre>
 * required: productId, ts, and at least one of: price (with currency), stock (0 or more), category (text)
 * </pre>
 */
public final class ProductUpdateJson {
    public static final int MAX_STOCK = 1_000_000_000;
    private static final byte[][] NAMES = {
        JsonFields.ascii("productId"), JsonFields.ascii("ts"), JsonFields.ascii("price"),
        JsonFields.ascii("currency"), JsonFields.ascii("stock"), JsonFields.ascii("category"),
    };
    private static final String[] FIELD_NAMES = {"productId", "ts", "price", "currency", "stock", "category"};
    /** Every JSON field of the contract (the OpenAPI document lists the same; a test holds the two together). */
    public static final List<String> FIELDS = List.of(FIELD_NAMES);

    private final JsonFields fields = new JsonFields();
    private final StringSlots strings = new StringSlots(2, Ids.MAX_LENGTH);
    private final ProductUpdateFlyweight flyweight = new ProductUpdateFlyweight();

    public int parse(final DirectBuffer json, final int offset, final int length,
        final MutableDirectBuffer target, final int at) {
        strings.clear();
        long ts = 0;
        int currency = Currencies.ABSENT;
        int stock = (int) ProductUpdateFlyweight.ABSENT;
        fields.begin(json, offset, length);
        final JsonReader reader = fields.reader;
        for (int f = fields.nextField(NAMES, FIELD_NAMES); f >= 0; f = fields.nextField(NAMES, FIELD_NAMES)) {
            switch (f) {
                case 0 -> fields.id(strings, ProductUpdateFlyweight.PRODUCT_ID, Ids.MAX_LENGTH);
                case 1 -> ts = fields.timestamp();
                case 2 -> fields.amount();
                case 3 -> currency = fields.currency();
                case 4 -> stock = (int) fields.wholeNumber(0, MAX_STOCK);
                case 5 -> fields.text(strings, ProductUpdateFlyweight.CATEGORY, Ids.MAX_LENGTH);
                default -> throw new IllegalStateException("unhandled field " + f);
            }
        }
        reader.endDocument();
        fields.require(0, "productId");
        fields.require(1, "ts");
        long price = ProductUpdateFlyweight.ABSENT;
        if (fields.wasSeen(2) || fields.wasSeen(3)) {
            fields.require(2, "price");
            fields.require(3, "currency");
            price = fields.amountInMinorUnits(currency, "price", TransactionJson.MAX_AMOUNT_MINOR);
        }
        if (!fields.wasSeen(2) && !fields.wasSeen(4) && !fields.wasSeen(5)) {
            throw new ValidationException("price", "a product update needs at least one of price, stock, category");
        }
        return flyweight.wrapForEncode(target, at).tsMs(ts).priceMinor(price).currency(currency).stock(stock)
            .putString(ProductUpdateFlyweight.PRODUCT_ID, strings.buffer(), strings.offset(0), strings.length(0))
            .putString(ProductUpdateFlyweight.CATEGORY, strings.buffer(), strings.offset(1), strings.length(1))
            .encodedLength();
    }

    public void write(final ProductUpdateFlyweight update, final JsonWriter out) {
        out.beginObject();
        out.name("productId").value(update.string(ProductUpdateFlyweight.PRODUCT_ID));
        out.name("ts").value(Timestamps.formatIso(update.tsMs()));
        if (update.priceMinor() != ProductUpdateFlyweight.ABSENT) {
            out.name("price").decimalString(update.priceMinor(), Currencies.exponentOf(update.currency()));
            out.name("currency").value(Currencies.codeOf(update.currency()));
        }
        if (update.stock() != ProductUpdateFlyweight.ABSENT) {
            out.name("stock").value(update.stock());
        }
        UserEventJson.optional(out, "category", update.string(ProductUpdateFlyweight.CATEGORY));
        out.endObject();
    }
}

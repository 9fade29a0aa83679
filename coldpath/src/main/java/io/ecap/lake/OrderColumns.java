package io.ecap.lake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which column of an order export holds each field of an order line, and the export's habits: how its times are
 * written, the currency when the file has none, and how it marks a cancelled order. A preset names the columns of a
 * common export ({@code uci}, {@code shopify}, {@code woocommerce}); {@code --map field=Column,...} names them for any
 * other file, or overrides some of a preset's. The column names are facts about those formats, written down in
 * docs/ANALYTICS.md; a file whose header differs (a newer export) needs {@code --map} for what changed.
 *
 * @param columns field → the file's column; the fields are {@link #FIELDS}
 * @param timestampPattern the pattern of the time column (Java/Spark datetime letters), or null for ISO-8601
 * @param currency the currency of every line when the file has no currency column, or null
 * @param cancelledPrefix an order id starting with this marks a cancelled order (UCI: {@code C}), or null
 */
record OrderColumns(Map<String, String> columns, String timestampPattern, String currency, String cancelledPrefix) {
    /** The fields {@code --map} may name. */
    static final Set<String> FIELDS = Set.of("order", "customer", "ts", "quantity", "price", "total", "product",
        "country", "currency", "status", "cancelled_at");
    /** Fields every import needs, besides a price or a line total. */
    static final List<String> REQUIRED = List.of("order", "customer", "ts", "quantity");
    /** Order statuses ({@code status}) that mean the order did not happen or was paid back. */
    static final Set<String> CANCELLED_STATUSES = Set.of("cancelled", "canceled", "refunded", "voided", "failed");

    /**
     * UCI Online Retail: a UK shop's invoices 2010-2011; times as 12/1/2010 8:26 (UK local time), prices in GBP,
     * cancellations are invoices starting with C.
     */
    static final OrderColumns UCI = new OrderColumns(columns("order=InvoiceNo", "customer=CustomerID",
        "ts=InvoiceDate", "quantity=Quantity", "price=UnitPrice", "product=StockCode", "country=Country"),
        "M/d/yyyy H:mm", "GBP", "C");
    /**
     * Shopify's orders export (Orders → Export, CSV): one row per line item; the order's own fields (Email,
     * Currency, Financial Status, Cancelled at...) may be blank on its later rows. Created at is written
     * 2024-03-13 13:27:41 -0400.
     */
    static final OrderColumns SHOPIFY = new OrderColumns(columns("order=Name", "customer=Email", "ts=Created at",
        "quantity=Lineitem quantity", "price=Lineitem price", "product=Lineitem sku", "country=Billing Country",
        "currency=Currency", "status=Financial Status", "cancelled_at=Cancelled at"),
        "yyyy-MM-dd HH:mm:ss Z", null, null);
    /**
     * WooCommerce has no orders CSV of its own; this is the one-row-per-line-item CSV of the Customer / Order /
     * Coupon Export extension, as we understand its column keys: the line's total, not a unit price, and the
     * shop's local time (give --timezone).
     */
    static final OrderColumns WOOCOMMERCE = new OrderColumns(columns("order=order_number", "customer=billing_email",
        "ts=order_date", "quantity=item_quantity", "total=item_total", "product=item_sku", "country=billing_country",
        "currency=order_currency", "status=status"), "yyyy-MM-dd HH:mm:ss", null, null);

    static final Map<String, OrderColumns> PRESETS = Map.of("uci", UCI, "shopify", SHOPIFY, "woocommerce",
        WOOCOMMERCE);

    private static Map<String, String> columns(final String... pairs) {
        final Map<String, String> columns = new LinkedHashMap<>();
        for (final String pair : pairs) {
            columns.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return Map.copyOf(columns);
    }

    /** The preset of that name ({@code --preset}), or the empty mapping when null. */
    static OrderColumns preset(final String name) {
        if (name == null) {
            return new OrderColumns(Map.of(), null, null, null);
        }
        final OrderColumns preset = PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (preset == null) {
            throw new IllegalArgumentException("--preset: expected uci, shopify or woocommerce, found '" + name + "'");
        }
        return preset;
    }

    /**
     * These columns with {@code --map field=Column,...} laid over them (a column name may hold spaces; an empty
     * column, {@code status=}, drops the field).
     */
    OrderColumns withMap(final String map) {
        if (map == null) {
            return this;
        }
        final Map<String, String> merged = new LinkedHashMap<>(columns);
        for (final String pair : map.split(",", -1)) {
            final int equals = pair.indexOf('=');
            final String field = equals < 0 ? pair.strip() : pair.substring(0, equals).strip();
            if (equals < 0 || !FIELDS.contains(field)) {
                throw new IllegalArgumentException("--map: expected field=Column pairs with fields among "
                    + String.join(", ", FIELDS.stream().sorted().toList()) + ", found '" + pair + "'");
            }
            final String column = pair.substring(equals + 1).strip();
            if (column.isEmpty()) {
                merged.remove(field);
            } else {
                merged.put(field, column);
            }
        }
        return new OrderColumns(Map.copyOf(merged), timestampPattern, currency, cancelledPrefix);
    }

    /** Every required field has a column: what is missing, named, otherwise. */
    void checkComplete() {
        for (final String field : REQUIRED) {
            if (!columns.containsKey(field)) {
                throw new IllegalArgumentException("--map: no column for " + field + " (give --preset or --map "
                    + field + "=Column)");
            }
        }
        if (!columns.containsKey("price") && !columns.containsKey("total")) {
            throw new IllegalArgumentException("--map: no column for price (the unit price) or total (the line's)");
        }
    }

    String column(final String field) {
        return columns.get(field);
    }
}

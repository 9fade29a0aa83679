package io.ecap.model;

/** Clickstream event types. The JSON names are the lower-case names. */
public enum UserEventType {
    PAGE_VIEW(1, "page_view"),
    SEARCH(2, "search"),
    PRODUCT_VIEW(3, "product_view"),
    ADD_TO_CART(4, "add_to_cart"),
    REMOVE_FROM_CART(5, "remove_from_cart"),
    CHECKOUT_START(6, "checkout_start"),
    PURCHASE(7, "purchase");

    private static final UserEventType[] BY_CODE = values();

    private final int code;
    private final String jsonName;

    UserEventType(final int code, final String jsonName) {
        this.code = code;
        this.jsonName = jsonName;
    }

    public int code() {
        return code;
    }

    public String jsonName() {
        return jsonName;
    }

    public static UserEventType ofCode(final int code) {
        if (code < 1 || code > BY_CODE.length) {
            throw new IllegalArgumentException("unknown user event type code " + code);
        }
        return BY_CODE[code - 1];
    }
}

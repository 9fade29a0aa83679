package io.ecap.model.field;

import java.util.List;

/**
 * The RFM segments a customer profile can name (the lake's {@code customer_segments}), and their codes in the engine:
 * 1 to 11 in this order, 0 for none. The names are the lake's labels, written exactly so.
 */
public final class Segments {
    public static final int ABSENT = 0;
    public static final List<String> NAMES = List.of("Champions", "Loyal Customers", "Potential Loyalists",
        "New Customers", "Promising", "Need Attention", "About to Sleep", "At Risk", "Cannot Lose Them",
        "Hibernating", "Lost");

    private Segments() {
    }

    /** The code of a segment name, or {@link #ABSENT} if it names none. */
    public static int code(final CharSequence name) {
        for (int i = 0; i < NAMES.size(); i++) {
            if (NAMES.get(i).contentEquals(name)) {
                return i + 1;
            }
        }
        return ABSENT;
    }

    /** The name of a code from {@link #code}. */
    public static String name(final int code) {
        if (code < 1 || code > NAMES.size()) {
            throw new IllegalArgumentException("no segment has code " + code);
        }
        return NAMES.get(code - 1);
    }
}

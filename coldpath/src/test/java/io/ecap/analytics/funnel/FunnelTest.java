package io.ecap.analytics.funnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunnelTest {
    @Test
    void stepsCountOnlyInOrderWithOtherEventsBetween() {
        final Funnel f = Funnel.PURCHASE;
        assertEquals(4, f.reached(List.of("page_view", "product_view", "search", "add_to_cart", "product_view",
            "checkout_start", "purchase")));
        assertEquals(1, f.reached(List.of("add_to_cart", "product_view", "purchase")), "a cart before the view");
        assertEquals(0, f.reached(List.of("page_view", "purchase")));
        assertEquals(2, f.reached(List.of("product_view", "add_to_cart", "add_to_cart", "purchase")));
    }

    @Test
    void parsesConfiguredFunnelsAndNamesWhatIsWrong() {
        final Set<String> known = Set.of("page_view", "search", "product_view", "purchase");
        assertEquals(new Funnel("browse", List.of("page_view", "search", "purchase")),
            Funnel.parse("browse=page_view,search,purchase", known));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Funnel.parse("x=page_view,hover", known))
            .getMessage().contains("unknown step 'hover'"));
        assertThrows(IllegalArgumentException.class, () -> Funnel.parse("page_view,search", known));
        assertThrows(IllegalArgumentException.class, () -> Funnel.parse("one=page_view", known));
    }
}

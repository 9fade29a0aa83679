package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ecap lake products} on a clickstream, orders and a catalogue written here, against rates, movers and basket
 * figures worked out by hand. The window is the 7 days up to 2026-11-30 (24th to 30th), the one before 17th to 23rd.
 */
class ProductsTest {
    private static final StructType EVENTS = (StructType) DataType.fromDDL("event_id STRING, session_id STRING, "
        + "customer_id STRING, event_type STRING, product_id STRING, event_date DATE");
    private static final StructType ORDERS = (StructType) DataType.fromDDL("order_id STRING, product_id STRING, "
        + "quantity INT, cancelled BOOLEAN, event_date DATE");
    private static final StructType CATALOG = (StructType) DataType.fromDDL("product_id STRING, category STRING, "
        + "event_date DATE");

    @TempDir
    Path dir;

    private final List<Row> events = new ArrayList<>();

    private void event(final String session, final String type, final String product, final String day, final int n) {
        for (int i = 0; i < n; i++) {
            events.add(RowFactory.create("e" + events.size(), session, "c-1", type, product, Date.valueOf(day)));
        }
    }

    private static Row order(final String id, final String product, final int quantity, final boolean cancelled) {
        return RowFactory.create(id, product, quantity, cancelled, Date.valueOf("2026-11-26"));
    }

    /** The clickstream, orders and catalogue the figures are worked out from (see the comments). */
    private void write(final SparkSession spark, final Lake lake) {
        // P1: 10 views, 4 carts (one in session s1, which bought), 2 purchases now; 1 purchase before
        event("v", "product_view", "P1", "2026-11-25", 10);
        event("w", "add_to_cart", "P1", "2026-11-25", 3); // a session that did not buy
        event("s1", "add_to_cart", "P1", "2026-11-27", 1);
        event("s1", "add_to_cart", "P3", "2026-11-27", 1);
        event("s1", "purchase", "P1", "2026-11-27", 1);
        event("v", "purchase", "P1", "2026-11-29", 1);
        event("v", "purchase", "P1", "2026-11-20", 1);
        // P2: 5 views, a cart in a session that did not buy, no purchase now; 4 purchases before
        event("v", "product_view", "P2", "2026-11-24", 5);
        event("s2", "add_to_cart", "P2", "2026-11-30", 1);
        event("v", "purchase", "P2", "2026-11-18", 4);
        // P3: one view before the window; nothing after the as-of day counts
        event("v", "product_view", "P3", "2026-11-19", 1);
        event("v", "product_view", "P1", "2026-12-01", 7);
        spark.createDataFrame(events, EVENTS).write().format("delta").save(lake.silver("user_events"));
        spark.createDataFrame(List.of(order("o1", "P1", 2, false), order("o1", "P2", 1, false),
            order("o2", "P1", 1, false), order("o2", "P2", 1, false), order("o3", "P1", 5, false),
            order("o4", "P2", 1, false), order("o4", "P3", 3, false), order("o5", "P1", 1, true),
            order("o5", "P3", 1, true)), ORDERS).write().format("delta").save(lake.silver("orders"));
        spark.createDataFrame(List.of(RowFactory.create("P1", "shoes", Date.valueOf("2026-11-20")),
            RowFactory.create("P1", "boots", Date.valueOf("2026-11-28")),
            RowFactory.create("P1", "sandals", Date.valueOf("2026-12-02")),
            RowFactory.create("P2", "hats", Date.valueOf("2026-11-01"))), CATALOG)
            .write().format("delta").save(lake.silver("product_catalog_daily"));

    }

    @Test
    void measuresProductsCategoriesMoversAndBasketsAsWorkedOutByHand() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        write(Lake.session("products-test"), lake);

        final LakeMainTest.Outcome out = LakeMainTest.exec("products", "--lake", lake.root(), "--as-of",
            "2026-11-30", "--days", "7");
        assertEquals(0, out.code(), out.out() + out.err());
        assertTrue(out.out().contains("products: 3 products from 2026-11-24 to 2026-11-30"), out.out());
        // baskets: o1 {P1,P2}, o2 {P1,P2}, o3 {P1}, o4 {P2,P3}, s1 {P1,P3} (o5 cancelled, s2 did not buy): 5
        assertTrue(out.out().contains("products: 2 pairs bought together (in 2 or more of the window's 5 baskets)"),
            out.out());

        final SparkSession read = Lake.session("products-test");
        final Map<String, Row> products = new HashMap<>();
        for (final Row r : read.read().format("delta").load(lake.gold("product_performance"))
            .where("as_of = DATE'2026-11-30'").collectAsList()) {
            products.put(r.getAs("product_id"), r);
        }
        assertEquals(3, products.size());
        final Row p1 = products.get("P1");
        assertEquals(10L, p1.<Long>getAs("views"));
        assertEquals(4L, p1.<Long>getAs("add_to_carts"));
        assertEquals(2L, p1.<Long>getAs("purchases"));
        assertEquals(3L, p1.<Long>getAs("order_lines"), "o1, o2, o3; not the cancelled o5");
        assertEquals(8L, p1.<Long>getAs("units"));
        assertEquals(0.4, p1.<Double>getAs("cart_rate"), 1e-12);
        assertEquals(0.2, p1.<Double>getAs("purchase_rate"), 1e-12);
        assertEquals(1L, p1.<Long>getAs("purchases_before"));
        assertEquals(4L, p1.<Long>getAs("purchase_change"), "5 bought now (2 + 3 order lines) against 1");
        assertEquals("boots", p1.getAs("category"), "its category on the as-of day, not later");
        final Row p2 = products.get("P2");
        assertEquals(0.2, p2.<Double>getAs("cart_rate"), 1e-12);
        assertEquals(0.0, p2.<Double>getAs("purchase_rate"), 1e-12);
        assertEquals(-1L, p2.<Long>getAs("purchase_change"), "3 order lines now against 4 purchases before");
        final Row p3 = products.get("P3");
        assertEquals(0L, p3.<Long>getAs("views"));
        assertNull(p3.getAs("purchase_rate"), "no view in the window: no rate");
        assertNull(p3.getAs("category"));
        assertEquals(1L, p3.<Long>getAs("purchase_change"));

        final Map<String, Row> categories = new HashMap<>();
        for (final Row r : read.read().format("delta").load(lake.gold("category_performance")).collectAsList()) {
            categories.put(r.getAs("category"), r);
        }
        assertEquals(3, categories.size());
        assertEquals(10L, categories.get("boots").<Long>getAs("views"));
        assertEquals(1L, categories.get("(none)").<Long>getAs("products"));

        final Map<String, Row> pairs = new HashMap<>();
        for (final Row r : read.read().format("delta").load(lake.gold("product_pairs")).collectAsList()) {
            pairs.put(r.getString(0) + ">" + r.getString(1), r);
        }
        assertEquals(2, pairs.size(), "only P1 and P2 share 2 baskets");
        final Row p1p2 = pairs.get("P1>P2");
        assertEquals(2L, p1p2.<Long>getAs("baskets"));
        assertEquals(0.4, p1p2.<Double>getAs("support"), 1e-12);
        assertEquals(0.5, p1p2.<Double>getAs("confidence"), 1e-12, "2 of the 4 baskets with P1");
        assertEquals(0.5 / 0.6, p1p2.<Double>getAs("lift"), 1e-12, "P2 is in 3 of 5 baskets");
        assertEquals(2.0 / 3, pairs.get("P2>P1").<Double>getAs("confidence"), 1e-12);
        assertEquals((2.0 / 3) / 0.8, pairs.get("P2>P1").<Double>getAs("lift"), 1e-12);

        assertEquals(7, p1.<Integer>getAs("window_days"));

        // another window length on the same day is kept beside the first, not instead of it
        final LakeMainTest.Outcome longer = LakeMainTest.exec("products", "--lake", lake.root(), "--as-of",
            "2026-11-30", "--days", "14");
        assertEquals(0, longer.code(), longer.out() + longer.err());
        assertTrue(longer.out().contains("the clickstream starts on 2026-11-18, within the window before (from "
            + "2026-11-03)"), longer.out());
        final SparkSession again = Lake.session("products-test");
        assertEquals(3, again.read().format("delta").load(lake.gold("product_performance"))
            .where("as_of = DATE'2026-11-30' AND window_days = 7").count(), "the 7-day rows are still there");
        assertEquals(3L, again.read().format("delta").load(lake.gold("product_performance"))
            .where("as_of = DATE'2026-11-30' AND window_days = 14 AND product_id = 'P1'")
            .selectExpr("purchases").first().getLong(0), "P1's clickstream purchases over 14 days: 27th, 29th, 20th");

        for (final String days : new String[] {"0", "400", "abc", "-3"}) {
            final LakeMainTest.Outcome bad = LakeMainTest.exec("products", "--lake", lake.root(), "--days", days);
            assertEquals(2, bad.code(), days);
            assertTrue(bad.err().contains("--days: expected a whole number of days from 1 to 366, found '" + days
                + "'"), bad.err());
        }
    }
}

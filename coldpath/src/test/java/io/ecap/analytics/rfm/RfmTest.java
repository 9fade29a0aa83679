package io.ecap.analytics.rfm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ecap.lake.Lake;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFM scores, ties and the segment table. */
class RfmTest {
    private static final StructType PURCHASES = (StructType) DataType.fromDDL(
        "customer_id STRING, purchase_date DATE, amount DOUBLE");
    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 30);

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("rfm-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void everyCombinationHasOneSegmentEverySegmentIsReachedAndSparkAgrees() {
        final Set<Segment> reached = EnumSet.noneOf(Segment.class);
        final List<Row> cells = new ArrayList<>();
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                for (int m = 1; m <= 5; m++) {
                    reached.add(Segment.of(r, f, m));
                    cells.add(RowFactory.create(r, f, m));
                }
            }
        }
        assertEquals(EnumSet.allOf(Segment.class), reached, "no segment is shadowed by the others");
        final List<Row> labels = spark.createDataFrame(cells, (StructType) DataType.fromDDL("r INT, f INT, m INT"))
            .selectExpr("r", "f", "m", Segment.sqlExpression("r", "f", "m") + " AS segment").collectAsList();
        assertEquals(125, labels.size());
        for (final Row row : labels) {
            assertEquals(Segment.of(row.getInt(0), row.getInt(1), row.getInt(2)).label(), row.getString(3),
                "cell " + row);
        }
        assertEquals(Segment.CHAMPIONS, Segment.of(5, 5, 5));
        assertEquals(Segment.LOST, Segment.of(1, 1, 1));
        assertEquals(Segment.CANNOT_LOSE_THEM, Segment.of(1, 5, 4), "FM = 4.5 rounds up to 5");
        assertThrows(IllegalArgumentException.class, () -> Segment.of(0, 3, 3));
    }

    @Test
    void scoresByQuintileWithTiesSharingAScore() {
        final List<Row> rows = new ArrayList<>();
        // c0..c9: customer i last bought i days before the as-of day, i + 1 times, spending 10 each time;
        // except c9, who spends 8 a time: 80 in all, as much as c7, so they share an M score
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k <= i; k++) {
                rows.add(RowFactory.create("c" + i, Date.valueOf(AS_OF.minusDays(i + k * 30L)),
                    i == 9 ? 8.0 : 10.0));
            }
        }
        rows.add(RowFactory.create("later", Date.valueOf(AS_OF.plusDays(1)), 1000.0));
        final Dataset<Row> purchases = spark.createDataFrame(rows, PURCHASES);
        final Map<String, Row> byCustomer = new HashMap<>();
        for (final Row row : Rfm.segments(purchases, AS_OF).collectAsList()) {
            byCustomer.put(row.getAs("customer_id"), row);
        }
        assertEquals(10, byCustomer.size(), "only customers with a purchase by the as-of day");
        final int[] quintile = {5, 5, 4, 4, 3, 3, 2, 2, 1, 1};
        for (int i = 0; i < 10; i++) {
            final Row row = byCustomer.get("c" + i);
            assertEquals(quintile[i], (int) row.getAs("r_score"), "R of c" + i + ": the most recent score 5");
            assertEquals(quintile[9 - i], (int) row.getAs("f_score"), "F of c" + i);
        }
        assertEquals(4, (int) byCustomer.get("c7").getAs("m_score"));
        assertEquals(4, (int) byCustomer.get("c9").getAs("m_score"), "equal spend, equal score: the tie's lower one");
        assertEquals(5, (int) byCustomer.get("c8").getAs("m_score"));
        assertEquals("Cannot Lose Them", byCustomer.get("c9").getAs("segment"), "R 1, F 5, M 4");
        assertEquals("New Customers", byCustomer.get("c0").getAs("segment"), "R 5, F 1, M 1");
        final List<Row> sizes = Rfm.sizes(Rfm.segments(purchases, AS_OF)).collectAsList();
        assertEquals(1.0, sizes.stream().mapToDouble(r -> r.getDouble(2)).sum(), 1e-9);
        assertEquals(1.0, sizes.stream().mapToDouble(r -> r.getDouble(4)).sum(), 1e-9);
    }
}

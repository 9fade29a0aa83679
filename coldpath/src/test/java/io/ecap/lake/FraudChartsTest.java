package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.report.Chart;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's fraud section on a lake where no payment is known to be fraud: no labels, no ground truth. */
class FraudChartsTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("fraud-charts-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void shouldSayWhyTheScoreChartIsEmptyWhenNoFraudIsKnown() {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        spark.sql(String.join("\n", "SELECT txn_id, merchant_id, DATE(event_date) AS event_date, decision, score,",
            "  array(named_struct('code', code, 'detail', 'x', 'value', 1.0D)) AS reasons FROM VALUES",
            "  ('t1', 'm1', '2011-01-05', 'APPROVE', 120, 'NONE'), ('t2', 'm1', '2011-02-05', 'REVIEW', 450, 'BURST'),",
            "  ('t3', 'm2', '2011-03-05', 'DECLINE', 800, 'TRAVEL')",
            "AS t(txn_id, merchant_id, event_date, decision, score, code)"))
            .write().format("delta").save(lake.silver("transactions"));

        final List<Chart> charts = new FraudCharts(spark, lake, null).charts();
        final Chart scores = charts.stream().filter(c -> c.id().equals("fraud-scores")).findFirst().orElseThrow();
        assertTrue(scores.bars().isEmpty(), scores.toString());
        assertTrue(scores.note().startsWith("No payment is known to be fraud: no chargeback or analyst label"),
            scores.note());
        assertEquals(6, charts.size(), "every chart of the section is there, drawn or saying why not");
    }
}

package io.ecap.analytics.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.analytics.clv.CdnowData;
import io.ecap.analytics.clv.CdnowFormat;
import io.ecap.lake.Lake;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecap.model.churn.PurchaseDays;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The churn model on the CDNOW purchases: real signal on a held-out window, and none once labels are shuffled. */
class ChurnTest {
    private static final LocalDate AS_OF = LocalDate.of(1998, 6, 30);

    private static SparkSession spark;
    private static Dataset<Row> purchases;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("churn-test");
        purchases = CdnowFormat.read(spark, CdnowData.file("CDNOW_sample.txt").toString()).cache();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void predictsTheHeldOutWindowAndShuffledLabelsFallToChance() {
        // one more customer, whose only purchase is on the as-of day: scored, and nothing else changes
        final Dataset<Row> withNewcomer = purchases.union(purchases.limit(1).selectExpr("'newcomer' AS customer_id",
            "DATE'" + AS_OF + "' AS purchase_date", "amount"));
        final Churn.Result real = Churn.of(withNewcomer, AS_OF, 90, false);
        System.out.println("ChurnTest " + real);
        assertEquals(LocalDate.of(1998, 1, 1), real.trainCutoff());
        assertEquals(LocalDate.of(1998, 4, 1), real.testCutoff());
        assertTrue(real.rocAuc() > 0.75, real.toString());
        assertTrue(real.prAuc() > real.trainChurnRate(), "better than the base rate: " + real);
        assertTrue(real.brierSkill() > 0.1, real.toString());
        // the permutation test: labels shuffled across customers in both windows leave nothing to learn, so the
        // quality falls to chance unless the label itself reaches the features
        final Churn.Result shuffled = Churn.of(purchases, AS_OF, 90, true);
        System.out.println("ChurnTest shuffled " + shuffled);
        assertEquals(0.5, shuffled.rocAuc(), 0.05, "labels shuffled across customers: " + shuffled);
        assertTrue(shuffled.brierSkill() < 0.01, "no better than the base rate: " + shuffled);
        final Row scores = real.scores().selectExpr("count(*)", "min(churn_probability)", "max(churn_probability)",
            "count(DISTINCT model_version)").first();
        assertEquals(2358L, scores.getLong(0), "every customer with a purchase on or before the as-of day");
        assertEquals(1L, real.scores().where("customer_id = 'newcomer'").count(), "a purchase on the as-of day counts");
        assertTrue(scores.getDouble(1) >= 0 && scores.getDouble(2) <= 1);
        assertEquals(1L, scores.getLong(3));
    }

    @Test
    void featuresNeverSeeTheWindowTheyPredict() {
        final LocalDate cutoff = LocalDate.of(1997, 6, 1);
        final Dataset<Row> before = Churn.features(purchases.where("purchase_date < DATE'1997-06-01'"), cutoff);
        final Dataset<Row> all = Churn.features(purchases, cutoff);
        assertEquals(0, before.exceptAll(all).count() + all.exceptAll(before).count(),
            "features at a cutoff are the same whatever happens after it");
    }

    @Test
    void theModelsNumbersAndPurchaseDaysScoreACustomerAgainAsTheJobDoes() throws Exception {
        final Churn.Result result = Churn.of(purchases, AS_OF, 90, false);
        final List<Row> rows = result.scores().collectAsList();
        final Map<String, PurchaseDays> days = new HashMap<>();
        for (final Row row : rows) {
            final PurchaseDays d = purchaseDays(row);
            days.put(row.getString(0), d);
            assertEquals(row.<Double>getAs("churn_probability"), result.model().probability(
                d.features(AS_OF.plusDays(1).toEpochDay())), 1e-9, "the job's own score of " + row.getString(0));
        }
        assertEquals(2357, days.size());
        // a month later, one customer bought again ten days after the as-of day: the features slide and grow as the
        // job would compute them from the purchases themselves
        final LocalDate later = AS_OF.plusDays(31);
        final String buyer = rows.get(7).getString(0);
        days.put(buyer, days.get(buyer).plus(AS_OF.plusDays(10).toEpochDay(), new BigDecimal("25.50")));
        Dataset<Row> more = purchases.union(purchases.limit(1).selectExpr("'" + buyer + "' AS customer_id",
            "DATE'" + AS_OF.plusDays(10) + "' AS purchase_date", "CAST(25.50 AS DOUBLE) AS amount"));
        // payments that arrived late, after the job: one on a day before the as-of day, one on a purchase day
        final String late = rows.get(9).getString(0);
        days.put(late, days.get(late).plus(AS_OF.minusDays(20).toEpochDay(), new BigDecimal("10.00")));
        final Row again = rows.get(11);
        final LocalDate lastDay = again.<java.sql.Date>getAs("last_purchase").toLocalDate();
        days.put(again.getString(0), days.get(again.getString(0)).plus(lastDay.toEpochDay(), new BigDecimal("5")));
        more = more.union(purchases.limit(1).selectExpr("'" + late + "' AS customer_id", "DATE'" + AS_OF.minusDays(20)
            + "' AS purchase_date", "CAST(10 AS DOUBLE) AS amount")).union(purchases.limit(1).selectExpr("'"
            + again.getString(0) + "' AS customer_id", "DATE'" + lastDay + "' AS purchase_date",
            "CAST(5 AS DOUBLE) AS amount"));
        int compared = 0;
        for (final Row row : Churn.features(more, later.plusDays(1)).collectAsList()) {
            final double[] live = days.get(row.getString(0)).features(later.plusDays(1).toEpochDay());
            for (int i = 0; i < live.length; i++) {
                assertEquals(row.<Double>getAs(PurchaseDays.FEATURES.get(i)), live[i], 1e-9,
                    PurchaseDays.FEATURES.get(i) + " of " + row.getString(0));
            }
            compared++;
        }
        assertEquals(2357, compared);
        assertEquals(1.0, days.get(buyer).features(AS_OF.plusDays(11).toEpochDay())[0], "recency from the purchase");
    }

    private static PurchaseDays purchaseDays(final Row row) throws Exception {
        final Map<Long, Double> recent = new HashMap<>();
        for (final JsonNode day : new ObjectMapper().readTree(row.<String>getAs("recent_spend"))) {
            recent.put(LocalDate.parse(day.get("day").asText()).toEpochDay(), day.get("spend").asDouble());
        }
        return new PurchaseDays(row.<java.sql.Date>getAs("first_purchase").toLocalDate().toEpochDay(),
            row.<java.sql.Date>getAs("last_purchase").toLocalDate().toEpochDay(), row.<Long>getAs("purchase_days"),
            row.<BigDecimal>getAs("spend").doubleValue(), recent, AS_OF.plusDays(1 - PurchaseDays.WINDOW_DAYS)
            .toEpochDay());
    }
}

package io.ecap.analytics.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.lake.Lake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * BG/NBD and Gamma-Gamma against the published CDNOW results (Fader, Hardie and Lee 2005; the {@code lifetimes}
 * package's documentation): the sample in the test resources ({@link CdnowData}), calibration ending
 * 1997-09-30, weeks.
 */
class CdnowClvTest {
    private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("cdnow-clv-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void bgNbdFitsThePublishedParameters() throws IOException {
        final Fit fit = BgNbd.fit(summaryCsv("cdnow_customers_summary.csv"));
        assertTrue(fit.converged(), fit.toString());
        assertEquals(0.243, fit.get("r"), 0.01, fit.toString());
        assertEquals(4.414, fit.get("alpha"), 0.01, fit.toString());
        assertEquals(0.793, fit.get("a"), 0.01, fit.toString());
        assertEquals(2.426, fit.get("b"), 0.01, fit.toString());
        assertEquals(-9582.43, fit.logLikelihood(), 0.1, "the log-likelihood the paper reports");
    }

    @Test
    void gammaGammaFitsThePublishedParameters() throws IOException {
        final Fit fit = GammaGamma.fit(summaryCsv("cdnow_customers_summary_with_transactions.csv"));
        assertTrue(fit.converged(), fit.toString());
        assertEquals(6.25, fit.get("p"), 0.01, fit.toString());
        assertEquals(3.74, fit.get("q"), 0.01, fit.toString());
        assertEquals(15.44, fit.get("v"), 0.01, fit.toString());
    }

    @Test
    void buildsThePublishedSummaryFromTheRawTransactions() throws IOException {
        final Dataset<Row> purchases = CdnowFormat.read(spark, CdnowData.file("CDNOW_sample.txt").toString());
        final Map<String, double[]> built = new HashMap<>();
        for (final Row row : CustomerSummary.of(purchases, CALIBRATION_END, 7).collectAsList()) {
            built.put(String.valueOf(Integer.parseInt(row.getString(0))), new double[] {row.getLong(1),
                row.getDouble(2), row.getDouble(3), row.getDouble(4)});
        }
        final List<String> lines = Files.readAllLines(CdnowData.file("cdnow_customers_summary_with_transactions.csv"));
        assertEquals(lines.size() - 1, built.size(), "every customer of the sample, once");
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(",");
            final double[] mine = built.get(f[0]);
            for (int k = 0; k < 4; k++) {
                assertEquals(Double.parseDouble(f[k + 1]), mine[k], 0.0051, "customer " + f[0] + ", column "
                    + (k + 1));
            }
        }
    }

    @Test
    void predictionsAgreeWithTheModelAndWithTheHoldoutPeriod() throws IOException {
        final Summaries data = summaryCsv("cdnow_customers_summary.csv");
        final BgNbd model = BgNbd.of(BgNbd.fit(data));
        // at a short horizon, expected purchases are P(alive) times the posterior mean rate (r + x) / (alpha + T)
        final Fit fit = BgNbd.fit(data);
        for (final int i : new int[] {0, 1, 2, 10, 100, 1000}) {
            final double x = data.frequency(i);
            final double age = data.age(i);
            final double h = 1e-4;
            final double rate = model.probabilityAlive(x, data.recency(i), age) * (fit.get("r") + x)
                / (fit.get("alpha") + age);
            assertEquals(rate, model.expectedPurchases(h, x, data.recency(i), age) / h, rate * 1e-3,
                "customer " + data.id(i));
            assertTrue(model.expectedPurchases(39, x, data.recency(i), age)
                > model.expectedPurchases(20, x, data.recency(i), age));
        }
        // the next 39 weeks (1997-10-01 to 1998-06-30): predicted repeat purchase days against those that happened
        // (1 653 against 1 882 here: the model under-forecasts this holdout by about a tenth)
        double predicted = 0;
        for (int i = 0; i < data.size(); i++) {
            predicted += model.expectedPurchases(39, data.frequency(i), data.recency(i), data.age(i));
        }
        final long actual = CdnowFormat.read(spark, CdnowData.file("CDNOW_sample.txt").toString())
            .where("purchase_date > DATE'1997-09-30'").select("customer_id", "purchase_date").distinct().count();
        assertEquals(actual, predicted, actual * 0.15, "holdout repeat purchases: predicted " + predicted);
    }

    @Test
    void refusesDataThatCannotBeFittedOrRead(@TempDir final Path dir) throws IOException {
        final Summaries noRepeat = new Summaries(new String[] {"a", "b"}, new double[] {0, 0}, new double[] {0, 0},
            new double[] {10, 20}, new double[] {0, 0});
        assertEquals("BG/NBD: no customer has a repeat purchase; nothing to fit",
            assertThrows(IllegalArgumentException.class, () -> BgNbd.fit(noRepeat)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Summaries(new String[] {"a"}, new double[] {2},
            new double[] {5}, new double[] {3}, new double[] {1}), "recency after the end of observation");
        final Path bad = Files.writeString(dir.resolve("bad.txt"), " 00004 0001 19970101  2   29.33\n"
            + " 00004 0001 1997-01-18  2   29.73\n");
        final String message = assertThrows(IllegalArgumentException.class,
            () -> CdnowFormat.read(spark, bad.toString())).getMessage();
        assertTrue(message.contains("1997-01-18"), message);
    }

    /** A summary CSV of the sample: ID, frequency, recency, T[, mean repeat spend]. */
    private static Summaries summaryCsv(final String name) throws IOException {
        final List<String> lines = Files.readAllLines(CdnowData.file(name));
        final int n = lines.size() - 1;
        final String[] ids = new String[n];
        final double[][] columns = new double[4][n];
        for (int i = 0; i < n; i++) {
            final String[] f = lines.get(i + 1).split(",");
            ids[i] = f[0];
            for (int k = 0; k < 4; k++) {
                columns[k][i] = k + 1 < f.length ? Double.parseDouble(f[k + 1]) : 0;
            }
        }
        return new Summaries(ids, columns[0], columns[1], columns[2], columns[3]);
    }
}

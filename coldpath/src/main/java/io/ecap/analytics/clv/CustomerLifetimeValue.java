package io.ecap.analytics.clv;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Customer lifetime value as of a day: historical (orders and revenue so far) and predicted (BG/NBD for the number
 * of purchases over a horizon, Gamma-Gamma for the spend per purchase, their product the expected value). Pure: it
 * takes the purchases and returns the models and the per-customer table; the job around it reads and writes.
 */
public final class CustomerLifetimeValue {
    static final StructType SCHEMA = (StructType) DataType.fromDDL(String.join(", ",
        "customer_id STRING", "orders BIGINT", "revenue DECIMAL(28,4)", "first_purchase DATE", "frequency BIGINT",
        "recency DOUBLE", "age DOUBLE", "monetary_value DECIMAL(28,4)", "probability_alive DOUBLE",
        "expected_purchases DOUBLE", "expected_spend DOUBLE", "predicted_clv DOUBLE"));

    /** The fitted models and each customer's values. */
    public record Result(Fit purchases, Fit spend, Dataset<Row> customers) {
    }

    private CustomerLifetimeValue() {
    }

    /**
     * @param purchases customer_id, purchase_date, amount
     * @param asOf the end of observation: purchases after it are ignored
     * @param unitDays the models' time unit in days (7: weeks)
     * @param horizonDays how far ahead to predict
     */
    public static Result of(final Dataset<Row> purchases, final LocalDate asOf, final double unitDays,
        final double horizonDays) {
        if (!(horizonDays > 0)) {
            throw new IllegalArgumentException("horizon: expected a positive number of days, found " + horizonDays);
        }
        final Dataset<Row> summary = CustomerSummary.of(purchases, asOf, unitDays).cache();
        final Summaries data = Summaries.of(summary.select("customer_id", "frequency", "recency", "age",
            "monetary_value").collectAsList());
        final Fit purchaseFit = converged(BgNbd.fit(data));
        final Fit spendFit = converged(GammaGamma.fit(data));
        final Predictor predictor = new Predictor(purchaseFit.values(), spendFit.values(), horizonDays / unitDays);
        final Dataset<Row> customers = summary.map(predictor, Encoders.row(SCHEMA));
        return new Result(purchaseFit, spendFit, customers);
    }

    /** A fit that did not converge is no basis for predictions: it stops the job, saying where it ended. */
    static Fit converged(final Fit fit) {
        if (!fit.converged()) {
            throw new IllegalStateException(fit.model() + " did not converge, so no values were predicted: " + fit
                + (fit.values()[fit.values().length - 1] > 1e5 || fit.values()[0] > 1e5
                ? ". A parameter ran toward its bound: the data may show no sign of what the model describes"
                + " (for BG/NBD, customers dropping out)" : ""));
        }
        return fit;
    }

    /** Rows of (model, parameter, value) plus the fit's log-likelihood and convergence, for gold. */
    public static List<Row> modelRows(final Result result) {
        final List<Row> rows = new ArrayList<>();
        for (final Fit fit : List.of(result.purchases(), result.spend())) {
            for (int i = 0; i < fit.names().length; i++) {
                rows.add(RowFactory.create(fit.model(), fit.names()[i], fit.values()[i], fit.logLikelihood(),
                    fit.converged(), fit.evaluations()));
            }
        }
        return rows;
    }

    /** Per customer, on the executors: the models travel as their parameters. */
    private static final class Predictor implements MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final double[] purchase;
        private final double[] spend;
        private final double horizon;

        Predictor(final double[] purchase, final double[] spend, final double horizon) {
            this.purchase = purchase;
            this.spend = spend;
            this.horizon = horizon;
        }

        @Override
        public Row call(final Row row) {
            final BgNbd bgNbd = new BgNbd(purchase[0], purchase[1], purchase[2], purchase[3]);
            final GammaGamma gammaGamma = new GammaGamma(spend[0], spend[1], spend[2]);
            final double x = ((Number) row.getAs("frequency")).doubleValue();
            final double tx = row.getAs("recency");
            final double age = row.getAs("age");
            final double m = row.getAs("monetary_value");
            final double expected = bgNbd.expectedPurchases(horizon, x, tx, age);
            final double perPurchase = gammaGamma.expectedSpend(x > 0 && m > 0 ? x : 0, m);
            return RowFactory.create(String.valueOf(row.<Object>getAs("customer_id")), row.<Long>getAs("orders"),
                row.<java.math.BigDecimal>getAs("revenue"), row.getAs("first_purchase"),
                ((Number) row.getAs("frequency")).longValue(), tx, age,
                java.math.BigDecimal.valueOf(m).setScale(4, java.math.RoundingMode.HALF_EVEN),
                bgNbd.probabilityAlive(x, tx, age),
                expected, perPurchase, expected * perPurchase);
        }
    }
}

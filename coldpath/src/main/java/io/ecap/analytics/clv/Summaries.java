package io.ecap.analytics.clv;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Customers' purchase histories as the CLV models read them, one array per quantity: frequency {@code x} (repeat
 * purchases), recency {@code tx}, age {@code T} (both in the summary's time unit) and mean repeat spend {@code m}
 * (0 without a repeat purchase).
 */
public final class Summaries {
    private final String[] ids;
    private final double[] frequency;
    private final double[] recency;
    private final double[] age;
    private final double[] spend;

    public Summaries(final String[] ids, final double[] frequency, final double[] recency, final double[] age,
        final double[] spend) {
        if (frequency.length != ids.length || recency.length != ids.length || age.length != ids.length
            || spend.length != ids.length) {
            throw new IllegalArgumentException("every quantity needs one value per customer");
        }
        for (int i = 0; i < ids.length; i++) {
            if (frequency[i] < 0 || recency[i] < 0 || age[i] < recency[i] || spend[i] < 0
                || frequency[i] > 0 && recency[i] == 0) {
                throw new IllegalArgumentException("customer " + ids[i] + ": impossible summary (frequency "
                    + frequency[i] + ", recency " + recency[i] + ", age " + age[i] + ", spend " + spend[i] + ")");
            }
        }
        this.ids = ids;
        this.frequency = frequency;
        this.recency = recency;
        this.age = age;
        this.spend = spend;
    }

    /** From rows of (customer_id, frequency, recency, age, monetary_value), as {@link CustomerSummary} makes them. */
    public static Summaries of(final List<Row> rows) {
        final int n = rows.size();
        final String[] ids = new String[n];
        final double[] x = new double[n];
        final double[] tx = new double[n];
        final double[] t = new double[n];
        final double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            final Row row = rows.get(i);
            ids[i] = String.valueOf(row.get(0));
            x[i] = ((Number) row.get(1)).doubleValue();
            tx[i] = ((Number) row.get(2)).doubleValue();
            t[i] = ((Number) row.get(3)).doubleValue();
            m[i] = ((Number) row.get(4)).doubleValue();
        }
        return new Summaries(ids, x, tx, t, m);
    }

    public int size() {
        return ids.length;
    }

    public String id(final int i) {
        return ids[i];
    }

    public double frequency(final int i) {
        return frequency[i];
    }

    public double recency(final int i) {
        return recency[i];
    }

    public double age(final int i) {
        return age[i];
    }

    public double spend(final int i) {
        return spend[i];
    }

    int repeatCustomers() {
        int n = 0;
        for (final double x : frequency) {
            n += x > 0 ? 1 : 0;
        }
        return n;
    }

    double meanAge() {
        double sum = 0;
        for (final double t : age) {
            sum += t;
        }
        return ids.length == 0 ? 0 : sum / ids.length;
    }

    double meanSpend() {
        double sum = 0;
        for (final double m : spend) {
            sum += m;
        }
        return ids.length == 0 ? 0 : sum / ids.length;
    }

    /** The customers with a repeat purchase and a positive mean spend: those Gamma-Gamma is fitted on. */
    Summaries repeatBuyers() {
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            n += frequency[i] > 0 && spend[i] > 0 ? 1 : 0;
        }
        final String[] someIds = new String[n];
        final double[] x = new double[n];
        final double[] tx = new double[n];
        final double[] t = new double[n];
        final double[] m = new double[n];
        for (int i = 0, j = 0; i < ids.length; i++) {
            if (frequency[i] > 0 && spend[i] > 0) {
                someIds[j] = ids[i];
                x[j] = frequency[i];
                tx[j] = recency[i];
                t[j] = age[i];
                m[j++] = spend[i];
            }
        }
        return new Summaries(someIds, x, tx, t, m);
    }
}

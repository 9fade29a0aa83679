package io.ecap.analytics.rfm;

/**
 * The eleven RFM segments, and the table that names one for every score combination. A customer's place is their
 * recency score R and the rounded mean of their frequency and monetary scores, FM = ⌊(F + M + 1) / 2⌋ (halves round
 * up), each 1 to 5, 5 best:
 *
 * <pre>
 *            FM=1               FM=2                 FM=3                 FM=4              FM=5
 *   R=5   New Customers      Potential Loyalists  Potential Loyalists  Champions         Champions
 *   R=4   Promising          Potential Loyalists  Potential Loyalists  Champions         Champions
 *   R=3   About to Sleep     About to Sleep       Need Attention       Loyal Customers   Loyal Customers
 *   R=2   Hibernating        Hibernating          At Risk              At Risk           Cannot Lose Them
 *   R=1   Lost               Lost                 At Risk              At Risk           Cannot Lose Them
 * </pre>
 *
 * So each of the 125 (R, F, M) combinations has exactly one segment, and every segment has at least one cell.
 */
public enum Segment {
    CHAMPIONS("Champions"),
    LOYAL_CUSTOMERS("Loyal Customers"),
    POTENTIAL_LOYALISTS("Potential Loyalists"),
    NEW_CUSTOMERS("New Customers"),
    PROMISING("Promising"),
    NEED_ATTENTION("Need Attention"),
    ABOUT_TO_SLEEP("About to Sleep"),
    AT_RISK("At Risk"),
    CANNOT_LOSE_THEM("Cannot Lose Them"),
    HIBERNATING("Hibernating"),
    LOST("Lost");

    /** GRID[5 - R][FM - 1], as drawn above. */
    private static final Segment[][] GRID = {
        {NEW_CUSTOMERS, POTENTIAL_LOYALISTS, POTENTIAL_LOYALISTS, CHAMPIONS, CHAMPIONS},
        {PROMISING, POTENTIAL_LOYALISTS, POTENTIAL_LOYALISTS, CHAMPIONS, CHAMPIONS},
        {ABOUT_TO_SLEEP, ABOUT_TO_SLEEP, NEED_ATTENTION, LOYAL_CUSTOMERS, LOYAL_CUSTOMERS},
        {HIBERNATING, HIBERNATING, AT_RISK, AT_RISK, CANNOT_LOSE_THEM},
        {LOST, LOST, AT_RISK, AT_RISK, CANNOT_LOSE_THEM},
    };

    private final String label;

    Segment(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The segment of scores R, F and M (each 1 to 5). */
    public static Segment of(final int r, final int f, final int m) {
        if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5) {
            throw new IllegalArgumentException("RFM scores are 1 to 5, got " + r + ", " + f + ", " + m);
        }
        return GRID[5 - r][(f + m + 1) / 2 - 1];
    }

    /** The same table as a Spark SQL expression over integer columns {@code r}, {@code f} and {@code m}. */
    static String sqlExpression(final String r, final String f, final String m) {
        final StringBuilder cells = new StringBuilder("array(");
        for (int score = 5; score >= 1; score--) {
            for (int fm = 1; fm <= 5; fm++) {
                cells.append(score == 5 && fm == 1 ? "" : ", ").append('\'').append(GRID[5 - score][fm - 1].label)
                    .append('\'');
            }
        }
        return "element_at(" + cells + "), (5 - " + r + ") * 5 + CAST((" + f + " + " + m + " + 1) DIV 2 AS INT))";
    }
}

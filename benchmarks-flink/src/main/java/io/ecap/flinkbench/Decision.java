package io.ecap.flinkbench;

/** The job's output for one transaction. A Flink POJO. */
public class Decision {
    public static final int APPROVE = 0;
    public static final int REVIEW = 1;
    public static final int DECLINE = 2;
    public static final String[] NAMES = {"APPROVE", "REVIEW", "DECLINE"};

    public String txnId;
    /** {@link #APPROVE}, {@link #REVIEW} or {@link #DECLINE}. */
    public int outcome;
    /** How many of the three rules fired (z-score, travel, velocity). */
    public int hits;

    public Decision() {
    }

    public Decision(final String txnId, final int outcome, final int hits) {
        this.txnId = txnId;
        this.outcome = outcome;
        this.hits = hits;
    }
}

package io.ecap.ops.report;

import io.ecap.hotpath.replay.Backtest;
import io.ecap.model.Outcome;
import io.ecap.model.report.Chart;
import io.ecap.model.report.Report;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code ecap backtest}, production beside the candidate: printed, and as a self-contained HTML page
 * with the same figures drawn ({@link Report}).
 */
public final class BacktestReport {
    /** Changed decisions the HTML page names (the text report names every one asked for). */
    private static final int HTML_EXAMPLES = 20;

    private final Backtest.Result r;
    private final String candidate;

    /** @param candidate what the candidate is, in words ("rules from FILE, model as journaled") */
    public BacktestReport(final Backtest.Result result, final String candidate) {
        this.r = result;
        this.candidate = candidate;
    }

    public void print(final PrintStream out) {
        final double seconds = r.elapsedNs() / 1e9;
        out.printf("Backtest of %,d transactions%s (%,d journal entries read)%s in %.1f s (%,.0f entries/s)%n",
            r.transactions(), r.fromMs() > 0 ? " from " + Instant.ofEpochMilli(r.fromMs()) : "", r.entries(), span(),
            seconds, r.entries() / Math.max(seconds, 1e-9));
        out.println("Scored from: " + r.method());
        out.println("Candidate: " + candidate + versions());
        out.printf("Fraud: %s: %,d of the transactions compared%s%n", r.labels().source(),
            r.production().fraudTotal(), r.labels().legit().isEmpty() ? "; every other one counts as legitimate"
                : String.format(", %,d labelled legitimate; those without a label count as legitimate",
                    r.labels().legit().size()));
        if (r.transactions() == 0 && r.fromMs() > 0) {
            out.println("No transaction of the journal is at or after " + Instant.ofEpochMilli(r.fromMs()) + ".");
        }
        final long unmatched = r.labels().fraud().size() - r.production().fraudTotal();
        if (unmatched > 0 && r.transactions() > 0) {
            out.printf("%,d of the %,d frauds named are not among the transactions compared (before --from, or not in "
                + "this journal: a truth file of another 'ecap generate' run names other transactions)%n", unmatched,
                r.labels().fraud().size());
        }
        if (r.production().fraudTotal() == 0) {
            out.println("No transaction compared is known to be fraud, so recall and precision say nothing. Fraud "
                + "comes from the journal's labels (POST /v1/labels or the Kafka topic labels) or from --truth FILE.");
        }
        if (r.damaged() > 0) {
            out.printf("%,d damaged journal entries skipped (checksum mismatch), as recovery skips them%n",
                r.damaged());
        }
        out.println();
        sides(out);
        out.println();
        changes(out);
        scenarios(out);
        rules(out);
    }

    /** The same figures as one HTML page (charts and their tables; a few changed decisions under their chart). */
    public String html() {
        final Backtest.Tally p = r.production();
        final Backtest.Tally c = r.candidate();
        final List<String> sides = List.of("production", "candidate");
        final List<Chart> charts = new ArrayList<>();
        final List<Chart.Bar> outcomes = new ArrayList<>();
        for (final Outcome o : Outcome.values()) {
            outcomes.add(new Chart.Bar(o.name(), List.of((double) p.count(o), (double) c.count(o))));
        }
        charts.add(new Chart("outcomes", "Decisions", String.format("%,d transactions", r.transactions()), sides,
            outcomes, "count"));
        charts.add(new Chart("catch", "Fraud caught and what it costs", "Fraud: " + r.labels().source()
            + String.format(", %,d fraudulent transactions", p.fraudTotal()), sides, List.of(
                new Chart.Bar("fraud declined (recall)", List.of(p.recall(), c.recall())),
                new Chart.Bar("fraud declined or reviewed", List.of(p.flaggedRecall(), c.flaggedRecall())),
                new Chart.Bar("fraud among declines (precision)", List.of(p.precision(), c.precision())),
                new Chart.Bar("decline rate", List.of(p.declineRate(), c.declineRate())),
                new Chart.Bar("review rate", List.of(p.reviewRate(), c.reviewRate()))), "percent"));
        charts.add(new Chart("money", "Money, US dollars", "", sides, List.of(
            new Chart.Bar("fraud stopped", List.of(p.fraudUsd(Outcome.DECLINE), c.fraudUsd(Outcome.DECLINE))),
            new Chart.Bar("fraud let through", List.of(p.fraudUsd(Outcome.APPROVE), c.fraudUsd(Outcome.APPROVE))),
            new Chart.Bar("false declines", List.of(p.legitUsd(Outcome.DECLINE), c.legitUsd(Outcome.DECLINE)))),
            "money"));
        final List<Chart.Bar> changed = new ArrayList<>();
        for (final Outcome before : Outcome.values()) {
            for (final Outcome after : Outcome.values()) {
                final long n = r.changed()[before.ordinal()][after.ordinal()];
                if (before != after && n > 0) {
                    changed.add(new Chart.Bar(before + " to " + after, List.of((double) n,
                        (double) r.changedFraud()[before.ordinal()][after.ordinal()])));
                }
            }
        }
        final StringBuilder examples = new StringBuilder();
        for (final Backtest.Change e : r.examples().subList(0, Math.min(r.examples().size(), HTML_EXAMPLES))) {
            examples.append(examples.length() == 0 ? "For example: " : "; ").append(e.txnId()).append(' ')
                .append(Instant.ofEpochMilli(e.tsMs())).append(' ').append(money(e.amountUsd())).append(" USD (")
                .append(e.truth()).append("): production ").append(e.production()).append(", candidate ")
                .append(e.candidate());
        }
        if (r.examples().size() > HTML_EXAMPLES) {
            examples.append("; ").append(r.examples().size() - HTML_EXAMPLES).append(" more in the text report");
        }
        charts.add(changed.isEmpty() ? Chart.missing("changes", "Decisions changed", "None: the candidate decides "
            + "every transaction as production did.") : new Chart("changes", "Decisions changed",
            String.format("%,d of %,d. ", r.changedTotal(), r.transactions()) + examples, List.of("transactions",
                "of them fraud"), changed, "count"));
        final List<Chart.Bar> scenarios = new ArrayList<>();
        for (final Map.Entry<String, long[]> e : r.scenarios().entrySet()) {
            final long[] v = e.getValue();
            scenarios.add(new Chart.Bar(e.getKey(), List.of((double) v[1] / v[0], (double) v[3] / v[0])));
        }
        if (!scenarios.isEmpty()) {
            charts.add(new Chart("scenarios", "Fraud declined, by scenario", "", sides, scenarios, "percent"));
        }
        final List<Chart.Bar> rules = new ArrayList<>();
        for (final Map.Entry<String, long[]> e : r.ruleHits().entrySet()) {
            final long[] hits = e.getValue();
            rules.add(new Chart.Bar(e.getKey() + (hits[0] == 0 ? "" : String.format(java.util.Locale.ROOT,
                " (precision %.1f%%)", 100.0 * hits[1] / hits[0])), List.of((double) hits[0], (double) hits[1])));
        }
        if (!rules.isEmpty()) {
            charts.add(new Chart("rules", "Rules of the candidate's rule set: transactions each fired on", "",
                List.of("fired", "on fraud"), rules, "count"));
        }
        final String span = span();
        return Report.html("Backtest", "Candidate: " + candidate + versions()
            + (span.isEmpty() ? "" : "; " + span.substring(2, span.length() - 1)), charts);
    }

    private String span() {
        return r.transactions() == 0 ? "" : ", " + day(r.firstTsMs()) + " to " + day(r.lastTsMs()) + " (event time),";
    }

    private static String day(final long ms) {
        return Instant.ofEpochMilli(ms).toString().substring(0, 10);
    }

    private String versions() {
        final StringBuilder sb = new StringBuilder();
        if (r.candidateRules() != null) {
            sb.append(sb.length() == 0 ? " (" : ", ").append("rule set ").append(r.candidateRules());
        }
        if (r.candidateModel() != null) {
            sb.append(sb.length() == 0 ? " (" : ", ").append("model ").append(r.candidateModel());
        }
        return sb.length() == 0 ? "" : sb.append(')').toString();
    }

    private void sides(final PrintStream out) {
        final Backtest.Tally p = r.production();
        final Backtest.Tally c = r.candidate();
        out.printf("  %-34s %18s %18s%n", "", "production", "candidate");
        for (final Outcome o : Outcome.values()) {
            out.printf("  %-34s %18s %18s%n", o.name().toLowerCase(java.util.Locale.ROOT),
                countAndShare(p.count(o), p.total()), countAndShare(c.count(o), c.total()));
        }
        out.printf("  %-34s %18s %18s%n", "fraud declined (recall)", countAndShare(p.fraud(Outcome.DECLINE),
            p.fraudTotal()), countAndShare(c.fraud(Outcome.DECLINE), c.fraudTotal()));
        out.printf("  %-34s %18s %18s%n", "fraud declined or reviewed", countAndShare(p.fraud(Outcome.DECLINE)
            + p.fraud(Outcome.REVIEW), p.fraudTotal()), countAndShare(c.fraud(Outcome.DECLINE)
            + c.fraud(Outcome.REVIEW), c.fraudTotal()));
        out.printf("  %-34s %18s %18s%n", "fraud among declines (precision)", percent(p.precision()),
            percent(c.precision()));
        out.printf("  %-34s %18s %18s%n", "fraud stopped, USD", money(p.fraudUsd(Outcome.DECLINE)),
            money(c.fraudUsd(Outcome.DECLINE)));
        out.printf("  %-34s %18s %18s%n", "fraud let through, USD", money(p.fraudUsd(Outcome.APPROVE)),
            money(c.fraudUsd(Outcome.APPROVE)));
        out.printf("  %-34s %18s %18s%n", "false declines", String.format("%,d", p.falseDeclines()),
            String.format("%,d", c.falseDeclines()));
        out.printf("  %-34s %18s %18s%n", "false declines, USD", money(p.legitUsd(Outcome.DECLINE)),
            money(c.legitUsd(Outcome.DECLINE)));
        out.printf("  %-34s %18s %18s%n", "legitimate sent to review", String.format("%,d",
            p.count(Outcome.REVIEW) - p.fraud(Outcome.REVIEW)), String.format("%,d",
            c.count(Outcome.REVIEW) - c.fraud(Outcome.REVIEW)));
    }

    private void changes(final PrintStream out) {
        out.printf("Decisions changed: %s%n", countAndShare(r.changedTotal(), r.transactions()));
        for (final Outcome before : Outcome.values()) {
            for (final Outcome after : Outcome.values()) {
                final long n = r.changed()[before.ordinal()][after.ordinal()];
                if (before != after && n > 0) {
                    out.printf("  %-7s -> %-7s %,12d  (%,d of them fraud)%n", before, after, n,
                        r.changedFraud()[before.ordinal()][after.ordinal()]);
                }
            }
        }
        if (!r.examples().isEmpty()) {
            out.println("For example:");
            for (final Backtest.Change e : r.examples()) {
                out.printf("  %s %s %s USD, %s: production %s, candidate %s%n", e.txnId(),
                    Instant.ofEpochMilli(e.tsMs()), money(e.amountUsd()), e.truth(), e.production(), e.candidate());
            }
        }
    }

    private void scenarios(final PrintStream out) {
        if (r.scenarios().isEmpty()) {
            return;
        }
        out.println();
        out.println("Fraud by scenario, declined / reviewed:");
        out.printf("  %-24s %10s %22s %22s%n", "scenario", "fraud", "production", "candidate");
        for (final Map.Entry<String, long[]> e : r.scenarios().entrySet()) {
            final long[] s = e.getValue();
            out.printf("  %-24s %,10d %22s %22s%n", e.getKey(), s[0], String.format("%,d / %,d", s[1], s[2]),
                String.format("%,d / %,d", s[3], s[4]));
        }
    }

    private void rules(final PrintStream out) {
        if (r.ruleHits().isEmpty()) {
            return;
        }
        out.println();
        out.println("Rules of the candidate's rule set: transactions each one fired on (whatever the decision)");
        out.printf("  %-32s %12s %12s %10s%n", "rule", "fired", "on fraud", "precision");
        for (final Map.Entry<String, long[]> e : r.ruleHits().entrySet()) {
            final long[] h = e.getValue();
            out.printf("  %-32s %,12d %,12d %10s%n", e.getKey(), h[0], h[1], percent((double) h[1] / h[0]));
        }
    }

    private static String countAndShare(final long n, final long of) {
        return String.format("%,d %s", n, of == 0 ? "(-)" : String.format("(%.2f%%)", 100.0 * n / of));
    }

    private static String percent(final double share) {
        return Double.isNaN(share) ? "-" : String.format("%.2f%%", 100 * share);
    }

    private static String money(final double usd) {
        return String.format("%,.2f", usd);
    }
}

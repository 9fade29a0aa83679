package io.ecap.ops.cli;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.replay.Backtest;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import io.ecap.ops.generate.Scenario;
import io.ecap.ops.report.BacktestReport;
import io.ecap.ops.service.FileChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Replays the journal through a candidate rule set or model and compares its decisions with production's. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = "Run a candidate rule set, model, or both over the journal's history (from the journaled feature "
        + "vectors, or, with --replay, a replay into fresh state: the same figures) and compare every decision with "
        + "the one production made: decisions changed (with examples), decline and review rates, "
        + "recall and precision, fraud money stopped and false declines, per fraud scenario, and how often each of "
        + "the candidate's rules fires. Fraud is what the journal's labels say (chargebacks, analyst verdicts; "
        + "transactions without a label count as legitimate), or the ground truth of --truth. The engine's own "
        + "state and journal are not touched.")
public final class BacktestCommand implements Callable<Integer> {
    /** Most examples of each kind of change. */
    static final int MAX_EXAMPLES = 1000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataOption data;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "the journal to replay, if not the data folder's (a copy of production's, for instance)")
    private Path journal;

    @Option(names = "--rules", paramLabel = "FILE",
        description = "candidate rule file (default: the rule sets the journal has, where it has them)")
    private Path rules;

    @Option(names = "--model", paramLabel = "FILE",
        description = "candidate model file (default: the models the journal has, where it has them)")
    private Path model;

    @Option(names = "--no-model", description = "the candidate scores with rules only")
    private boolean noModel;

    @Option(names = "--truth", paramLabel = "FILE",
        description = "ground truth instead of the journal's labels: JSON lines {\"txnId\":..,\"scenario\":..} of "
            + "the fraudulent transactions (ecap generate --truth)")
    private Path truth;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "3",
        description = "changed decisions shown for each kind of change, 0 to " + MAX_EXAMPLES
            + " (default: ${DEFAULT-VALUE})")
    private int examples;

    @Option(names = "--from", paramLabel = "DATE",
        description = "compare only the transactions of this day (UTC) or later, e.g. those after the candidate "
            + "model's training window; everything before is still replayed into the state")
    private String from;

    @Option(names = "--replay",
        description = "replay the journal into fresh state, computing every feature again, instead of scoring the "
            + "journaled feature vectors (the same result, several times slower; the backtest replays by itself when "
            + "the vectors cannot serve, and says why)")
    private boolean replay;

    @Option(names = "--html", paramLabel = "FILE",
        description = "also write the result as a self-contained HTML page with charts")
    private Path html;

    @Override
    public Integer call() throws IOException, RuleSetException, ModelException {
        final Backtest.Candidate candidate = candidate();
        if (examples < 0 || examples > MAX_EXAMPLES) {
            throw usage("--examples: expected 0 to " + MAX_EXAMPLES + ", found " + examples);
        }
        final long fromMs = fromMs();
        final Path source;
        try {
            source = journal != null ? existingJournal(journal) : data.existingJournal();
        } catch (final IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        readable("--truth", truth);
        checkHtml(source);
        if (isEmpty(source)) {
            throw usage((journal != null ? "--journal " : "--data ") + source + ": the journal holds no entries");
        }
        final Backtest.Labels labels = truth != null ? truthLabels(truth) : Backtest.journalLabels(source);
        final boolean inDataFolder = journal == null;
        if (inDataFolder) {
            ReplayFolders.removeAbandoned(data.dir(), System.err);
        }
        final Path state = inDataFolder ? ReplayFolders.create(data.dir())
            : Files.createTempDirectory("ecap-backtest-");
        try {
            final long[] sizes = ReplayCommand.sizesOf(data.dir().resolve("maps"));
            System.err.println("backtest: reading " + source.toAbsolutePath() + (replay ? " and replaying it into "
                + state.toAbsolutePath() : ""));
            final LongConsumer progress = n -> System.err.printf("  %,d entries%n", n);
            final Backtest.Result result = replay
                ? Backtest.run(source, state, sizes[0], sizes[1], candidate, labels, examples, fromMs, progress)
                : Backtest.runFastest(source, state, sizes[0], sizes[1], candidate, labels, examples, fromMs,
                    progress);
            final BacktestReport report = new BacktestReport(result, describe(candidate));
            report.print(System.out);
            if (html != null) {
                try {
                    Files.writeString(html, report.html(), StandardCharsets.UTF_8);
                } catch (final IOException e) {
                    // the report above is printed; only the page is missing (a message with no cause: complete)
                    throw new IllegalStateException("--html: cannot write " + io.ecap.ops.Ecap.describe(e));
                }
                System.out.println("\nHTML report: " + html.toAbsolutePath());
            }
            return 0;
        } finally {
            ReplayFolders.delete(state);
        }
    }

    /** {@code --from} as epoch ms (0 when absent): a day, UTC, or an ISO instant. */
    private long fromMs() {
        if (from == null) {
            return 0;
        }
        try {
            return from.length() == 10 ? java.time.LocalDate.parse(from).atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant().toEpochMilli() : java.time.Instant.parse(from).toEpochMilli();
        } catch (final java.time.format.DateTimeParseException e) {
            throw usage("--from: expected a day (2026-11-01) or an instant (2026-11-01T12:00:00Z), found '" + from
                + "'");
        }
    }

    /** The candidate's texts, checked before anything is replayed. */
    private Backtest.Candidate candidate() throws IOException {
        if (noModel && model != null) {
            throw usage("--model and --no-model: give one of them");
        }
        readable("--rules", rules);
        readable("--model", model);
        final String rulesText = rules == null ? null : text("--rules", rules);
        final String modelText = noModel ? "" : model == null ? null : text("--model", model);
        if (rulesText != null) {
            try {
                RuleParser.parse(rulesText);
            } catch (final RuleSetException e) {
                throw usage("--rules " + rules + ": " + String.join("; ", e.problems()));
            }
        }
        if (modelText != null && !noModel && modelText.isBlank()) {
            throw usage("--model " + model + ": the file is empty (--no-model scores with the rules only)");
        }
        if (rulesText != null && rulesText.isBlank()) {
            throw usage("--rules " + rules + ": the file is empty");
        }
        if (modelText != null && !modelText.isEmpty()) {
            try {
                ModelParser.parse(modelText, FeatureCatalog.forModels());
            } catch (final ModelException e) {
                throw usage("--model " + model + ": " + e.getMessage());
            }
        }
        return new Backtest.Candidate(rulesText, modelText);
    }

    /** A candidate file's text; one that cannot be read (too large, not UTF-8 text) is a usage error naming it. */
    private String text(final String option, final Path file) {
        try {
            return io.ecap.model.scoring.ConfigText.read(file);
        } catch (final IOException e) {
            throw usage(option + " " + file + ": " + e.getMessage());
        }
    }

    private String describe(final Backtest.Candidate candidate) {
        final String r = candidate.rules() == null ? "rules as journaled" : "rules from " + rules;
        final String m = candidate.model() == null ? "model as journaled"
            : candidate.model().isEmpty() ? "no model" : "model from " + model;
        return r + ", " + m;
    }

    private Path existingJournal(final Path dir) {
        if (!Files.isDirectory(dir)) {
            throw usage("--journal: " + dir + " is not a folder");
        }
        if (!Files.exists(dir.resolve("metadata.cq4t"))) {
            throw usage("--journal: no journal in " + dir + (Files.isDirectory(dir.resolve("journal"))
                ? " (it looks like a data folder: give it with --data, or its journal/ folder with --journal)" : ""));
        }
        return dir;
    }

    /** True if the journal has no entry at all. */
    private static boolean isEmpty(final Path journalDir) {
        try (Journal j = Journal.openReadOnly(journalDir.toFile())) {
            return j.lastIndex() == 0;
        }
    }

    /**
     * The HTML report's file: writable, named, and none of the backtest's inputs (a report written over the rule
     * file, the truth or a journal file would destroy it).
     */
    private void checkHtml(final Path journalDir) {
        if (html == null) {
            return;
        }
        if (html.toString().isBlank()) {
            throw usage("--html: no file named");
        }
        final String problem = FileChecks.unwritable(html);
        if (problem != null) {
            throw usage("--html: cannot write " + html + ": " + problem);
        }
        final Path target = html.toAbsolutePath().normalize();
        for (final Path input : new Path[] {rules, model, truth}) {
            if (input != null && input.toAbsolutePath().normalize().equals(target)) {
                throw usage("--html " + html + ": that is an input of the backtest; name another file");
            }
        }
        if (target.startsWith(journalDir.toAbsolutePath().normalize())) {
            throw usage("--html " + html + ": inside the journal folder; name a file elsewhere");
        }
    }

    private Backtest.Labels truthLabels(final Path file) throws IOException {
        final Map<String, Scenario> read;
        try {
            read = TruthFile.read(file);
        } catch (final IllegalArgumentException e) {
            throw usage("--truth " + e.getMessage());
        }
        final Map<String, String> fraud = new HashMap<>();
        for (final Map.Entry<String, Scenario> e : read.entrySet()) {
            fraud.put(e.getKey(), e.getValue().name());
        }
        return new Backtest.Labels(fraud, Set.of(), "ground truth of " + file);
    }

    private void readable(final String option, final Path file) {
        final String problem = file == null ? null : FileChecks.unreadable(file);
        if (problem != null) {
            throw usage(option + ": cannot read " + file + ": " + problem);
        }
    }

    private CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

package io.ecap.ops.cli;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.JournalSync;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.engine.EngineSettings;
import io.ecap.hotpath.engine.IdleStrategies;
import io.ecap.hotpath.engine.StatePlacement;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.PanMask;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.shard.Shard;
import io.ecap.ops.generate.GeneratedTransaction;
import io.ecap.ops.generate.Scenario;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.ops.report.ScoreStats;
import io.ecap.ops.service.FileChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Scores JSON-lines files (or a generated sample) through the embedded engine and prints a summary. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score transactions from JSON-lines files (one transaction per line; '-' reads standard input) "
        + "or from a generated sample, through the embedded engine, and print a summary.")
public final class ScoreCommand implements Callable<Integer> {
    private static final int SHOWN_REJECTS = 10;
    /** The largest {@code --entities}, as for {@code engine.entities}. */
    private static final long MAX_ENTITIES = 1L << 31;
    /** The largest idempotency window one index generation holds ({@code engine.transactions}). */
    private static final long MAX_TRANSACTIONS = 1L << 25;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "JSON-lines files of transactions")
    private List<Path> files = new ArrayList<>();

    @Option(names = "--sample", paramLabel = "N", description = "score N generated transactions instead of files")
    private long sample;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the generated sample (default: 42)")
    private long seed;

    @Option(names = "--truth", paramLabel = "FILE",
        description = "ground truth, JSON lines {\"txnId\":..,\"scenario\":..} for the fraudulent ones")
    private Path truthFile;

    @Option(names = "--rejects", paramLabel = "FILE", description = "write every rejected line here with its reason")
    private Path rejectsFile;

    @Option(names = "--rules", paramLabel = "FILE", description = "rule file to put live (default: the journaled one)")
    private Path rules;

    @Option(names = "--model", paramLabel = "FILE", description = "model file to put live")
    private Path model;

    @Option(names = "--entities", defaultValue = "65536",
        description = "entities per kind a new data folder's indexes start with; they grow by themselves "
            + "(default: ${DEFAULT-VALUE})")
    private long entities;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "auto",
        description = "where the state files live: auto (in memory under /dev/shm when there is room and the data "
            + "folder's state is not already on its disk), data (<data>/maps) or a folder; <data>/maps links to it "
            + "(default: ${DEFAULT-VALUE})")
    private String stateDir;

    @Option(names = "--journal-sync", paramLabel = "POLICY", converter = JournalSyncConverter.class,
        description = "when journal entries are forced to the disk: none (default: left to the system), entry (each "
            + "before its answer), or an interval in milliseconds such as 100ms (or 100)")
    private JournalSync journalSync = JournalSync.NONE;

    @Option(names = "--sync-state", description = "force the state's files to the disk at the end, as ecap run's stop "
        + "does (default: the journal only; the state is left to the system to write, and a start after a reboot "
        + "rebuilds it from the journal)")
    private boolean syncState;

    @Option(names = "--min-free-disk-mb", paramLabel = "MB",
        description = "stop (exit 1, everything before the stop scored and journaled) when the disk of the data or "
            + "state folder has less free space than this; 0: never (default: ${DEFAULT-VALUE}, as "
            + "engine.min-free-disk-mb)")
    private long minFreeDiskMb = EngineConfig.DEFAULT_MIN_FREE_DISK_BYTES >> 20;

    @Option(names = "--retention-days", paramLabel = "KIND=DAYS", split = ",",
        description = "days an entity is kept after its newest event, per kind, e.g. ip=30,device=90 (0 = forever; "
            + "defaults: card and customer 400, device 90, ip 30, merchant forever)")
    private Map<String, Integer> retention = new HashMap<>();

    @Option(names = "--shard", paramLabel = "INDEX/COUNT", converter = ShardConverter.class,
        description = "score only the customers of this shard, e.g. 0/2, in a data folder of that shard; the other "
            + "lines are counted and left to their shards (docs/SHARDS.md)")
    private Shard shard = Shard.SINGLE;

    @Option(names = "--idle", defaultValue = "backoff",
        description = "writer idle strategy: backoff, busy-spin, yielding, sleeping (default: ${DEFAULT-VALUE})")
    private String idle;

    @Mixin
    private DataOption data;

    @Spec
    private CommandSpec spec;

    private final TransactionJson json = new TransactionJson();
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final TransactionFlyweight parsed = new TransactionFlyweight();
    private final ScoreStats stats = new ScoreStats();
    private final Map<String, Scenario> truth = new HashMap<>();
    private final Map<String, Long> refusals = new TreeMap<>();
    private PrintWriter rejects;
    private int rejectsShown;
    private EngineClient client;
    private Progress progress;
    private String source;

    @Override
    public Integer call() throws Exception {
        if (files.isEmpty() == (sample <= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "give JSON-lines files or --sample N (one of the two)");
        }
        for (final Path file : files) {
            final String problem = file.toString().equals("-") ? null : FileChecks.unreadable(file);
            if (problem != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + problem);
            }
        }
        readable("--rules", rules);
        readable("--model", model);
        parses("--rules", rules, io.ecap.hotpath.engine.LiveFiles.rulesProblem(rules));
        parses("--model", model, io.ecap.hotpath.engine.LiveFiles.modelProblem(model));
        readable("--truth", truthFile);
        if (rejectsFile != null && FileChecks.unwritable(rejectsFile) != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rejects: cannot write " + rejectsFile
                + ": " + FileChecks.unwritable(rejectsFile));
        }
        if (minFreeDiskMb < 0 || minFreeDiskMb > 1L << 30) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--min-free-disk-mb: expected 0 to "
                + (1L << 30) + ", got " + minFreeDiskMb);
        }
        if (entities < 1000 || entities > MAX_ENTITIES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--entities: expected 1000 to "
                + MAX_ENTITIES + " entities per kind, found " + entities);
        }
        try {
            IdleStrategies.check(idle);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idle: " + e.getMessage());
        }
        if (truthFile != null) {
            truth.putAll(TruthFile.read(truthFile));
        }
        final boolean truthKnown = sample > 0 || truthFile != null;
        // the idempotency window: ten transactions an entity, within what one index generation can hold
        final String stateDirProblem = StatePlacement.problem(stateDir, data.dir());
        if (stateDirProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--state-dir: " + stateDirProblem);
        }
        final Path stateFolder = StatePlacement.resolve(stateDir, data.dir());
        final long transactions = Math.min(Math.max(entities * 10, 1_000_000), MAX_TRANSACTIONS);
        final EngineConfig config = EngineConfig.defaults(data.dir()).withEntries(entities, transactions)
            .withRules(rules).withModel(model).withIdleStrategy(idle).withSettings(settings())
            .withStateDir(stateFolder).withJournalSync(journalSync).withMinFreeDisk(minFreeDiskMb << 20)
            .withStateSyncAtStop(syncState).withShard(shard);
        try (EngineRunner engine = EngineRunner.start(config, Throwable::printStackTrace);
             PrintWriter rejectsOut = rejectsFile == null ? null : new PrintWriter(Files.newBufferedWriter(
                 rejectsFile, StandardCharsets.UTF_8))) {
            rejects = rejectsOut;
            client = engine.newClient();
            diskRefusal = engine::diskRefusal;
            if (!engine.store().opening().fresh() || engine.recoveredEntries() > 0) {
                System.err.println(engine.startupReport());
            }
            if (shard.sharded()) {
                System.out.printf("Shard %s: scoring only the payments of its own customers%n", shard);
            }
            progress = new Progress(System.err); // the summary's time is the scoring's, not the engine's start
            try {
                if (sample > 0) {
                    scoreSample();
                } else {
                    for (final Path file : files) {
                        scoreFile(file);
                    }
                }
            } catch (final DiskFull stop) {
                diskFull = stop;
            }
            drain();
            progress.done();
            stats.print(System.out, progress.elapsedSeconds(), truthKnown);
            System.out.printf("%nJournal: %s%nState: %s%n", config.journalDir().toAbsolutePath(),
                engine.stateLocation());
            if (rejectsFile != null) {
                System.out.printf("Rejected lines: %s%n", rejectsFile.toAbsolutePath());
            }
        }
        if (diskFull != null) {
            System.err.printf("ecap score: stopped before line %,d of %s: %s. Every line before it was scored and "
                + "journaled; free space, then score the rest (from line %,d).%n", diskFull.lineNo, diskFull.source,
                diskFull.getMessage(), diskFull.lineNo);
            return 1;
        }
        if (stats.refused() > 0) {
            System.err.printf("ecap score: the engine refused %,d valid line(s): %s%n", stats.refused(),
                refusals.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
                    .collect(java.util.stream.Collectors.joining("; ")));
            return 2;
        }
        return 0;
    }

    /** Refuses an input file {@code option} names that cannot be read, before anything is created. */
    private void parses(final String option, final Path file, final String problem) {
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + file + ": " + problem);
        }
    }

    private void readable(final String option, final Path file) {
        final String problem = file == null ? null : FileChecks.unreadable(file);
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": cannot read " + file + ": "
                + problem);
        }
    }

    private EngineSettings settings() {
        EngineSettings settings = EngineSettings.DEFAULTS;
        for (final Map.Entry<String, Integer> e : retention.entrySet()) {
            final EntityKind kind = java.util.Arrays.stream(EntityKind.ALL).filter(k -> k.prefix().equals(e.getKey()))
                .findFirst().orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "--retention-days: unknown entity kind '" + e.getKey() + "' (card, customer, device, ip, "
                        + "merchant)"));
            if (e.getValue() < 0 || e.getValue() > EngineSettings.MAX_DAYS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--retention-days: " + e.getKey()
                    + " must be 0 (forever) to " + EngineSettings.MAX_DAYS + " days, found " + e.getValue());
            }
            settings = settings.withRetention(kind, e.getValue());
        }
        return settings;
    }

    private void scoreSample() {
        source = "sample";
        final WorkloadGenerator generator = new WorkloadGenerator(WorkloadGenerator.Settings.defaults(seed));
        for (long i = 0; i < sample; i++) {
            final GeneratedTransaction t = generator.next();
            if (t.isFraud()) {
                truth.put(t.txnId(), t.scenario());
            }
            final byte[] bytes = t.json().getBytes(StandardCharsets.UTF_8);
            submit(new UnsafeBuffer(bytes), 0, bytes.length, i + 1);
        }
    }

    private void scoreFile(final Path file) throws IOException {
        source = file.toString();
        try (InputStream in = source.equals("-") ? System.in : Files.newInputStream(file)) {
            new LineReader(in).forEach(lines);
        }
    }

    /** Created once: a lambda made per line would allocate. */
    private final LineReader.Handler lines = new LineReader.Handler() {
        @Override
        public void line(final DirectBuffer buffer, final int offset, final int length, final long lineNo) {
            submit(buffer, offset, length, lineNo);
        }

        @Override
        public void tooLong(final long lineNo, final long length) {
            stats.line();
            reject(lineNo, String.format("line of %,d bytes is longer than the %,d accepted", length,
                LineReader.MAX_LINE), "");
        }
    };

    private void submit(final DirectBuffer line, final int offset, final int lineLength, final long lineNo) {
        stats.line();
        final int length;
        try {
            length = json.parse(line, offset, lineLength, message, 0);
        } catch (final ValidationException e) {
            reject(lineNo, e.getMessage(), new String(lineBytes(line, offset, lineLength), StandardCharsets.UTF_8));
            return;
        }
        if (shard.sharded()) {
            parsed.wrapForDecode(message, 0, length);
            if (!shard.owns(message, parsed.stringOffset(TransactionFlyweight.CUSTOMER_ID),
                parsed.stringLength(TransactionFlyweight.CUSTOMER_ID))) {
                stats.otherShard();
                return;
            }
        }
        if (lineNumbers.length == inFlightLines()) {
            growLineNumbers();
        }
        while (client.offer(Commands.SCORE, message, 0, length) < 0) {
            client.awaitRoom(handler); // the engine has all it can take
        }
        lineNumbers[(int) (offered++ & lineNumbers.length - 1)] = lineNo;
        if ((offered & 63) == 0) {
            poll();
            if ((offered & 4095) == 0) {
                progress.update(progressLine);
                final String refusal = diskRefusal.get();
                if (refusal != null) {
                    throw new DiskFull(refusal, lineNo + 1, source);
                }
            }
        }
    }

    /** Where scoring stopped because the disk is nearly full (the engine's {@code DiskGuard}). */
    private static final class DiskFull extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long lineNo;
        private final String source;

        DiskFull(final String refusal, final long lineNo, final String source) {
            super(refusal, null, false, false);
            this.lineNo = lineNo;
            this.source = source;
        }
    }

    private java.util.function.Supplier<String> diskRefusal = () -> null;
    private DiskFull diskFull;

    private static byte[] lineBytes(final DirectBuffer line, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        line.getBytes(offset, bytes);
        return bytes;
    }

    private final java.util.function.Supplier<String> progressLine =
        () -> stats.progressLine(progress.elapsedSeconds());

    /** Line number of each transaction offered and not yet answered (answers come in order), for refusals. */
    private long[] lineNumbers = new long[8192];
    private long offered;
    private long answered;

    private int inFlightLines() {
        return (int) (offered - answered);
    }

    private void growLineNumbers() {
        final long[] grown = new long[lineNumbers.length * 2];
        for (long i = answered; i < offered; i++) {
            grown[(int) (i & grown.length - 1)] = lineNumbers[(int) (i & lineNumbers.length - 1)];
        }
        lineNumbers = grown;
    }

    private void reject(final long lineNo, final String reason, final String line) {
        stats.rejected();
        report(lineNo, PanMask.mask(reason), line);
    }

    /**
     * Shows and records a rejected line. A rejected line may carry a card number (that is one reason to reject it),
     * and a reason may quote the line: never write one in clear. {@code maskedReason} is masked by the caller, so
     * that what ECAP adds itself (a journal index, which can pass for a card number) stays readable.
     */
    private void report(final long lineNo, final String maskedReason, final String line) {
        if (rejectsShown++ < SHOWN_REJECTS) {
            System.err.println(source + " line " + lineNo + ": " + maskedReason);
        }
        if (rejects != null) {
            rejects.println(source + "\t" + lineNo + "\t" + maskedReason + "\t" + PanMask.mask(line));
        }
    }

    private int poll() {
        return client.poll(handler, 256);
    }

    /** Created once: a lambda made in poll() would allocate on every call. */
    private final EngineClient.ResponseHandler handler = this::onResponse;

    private void onResponse(final int type, final long correlationId, final long journalIndex,
        final org.agrona.DirectBuffer body, final int at, final int length) {
        final long lineNo = lineNumbers[(int) (answered++ & lineNumbers.length - 1)];
        if (type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE) {
            decision.wrapForDecode(body, at, length);
            final String id = truth.isEmpty() ? null : decision.string(DecisionFlyweight.TXN_ID);
            stats.decision(decision, type == Commands.RESPONSE_DUPLICATE, id == null ? null : truth.get(id),
                sample > 0 || truthFile != null);
            return;
        }
        final String said = PanMask.mask(body.getStringWithoutLengthAscii(at, length));
        final String why = type == Commands.RESPONSE_CONFLICT
            ? "idempotency conflict: " + said + " (journal index " + journalIndex + ")"
            : "refused by the engine: " + said;
        stats.refusal();
        refusals.merge(type == Commands.RESPONSE_CONFLICT ? "idempotency conflict"
            : body.getStringWithoutLengthAscii(at, length), 1L, Long::sum);
        report(lineNo, why, "");
    }

    /** Waits for the answers still outstanding. */
    private void drain() {
        while (client.inFlight() > 0) {
            if (poll() == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
    }

    /** Reads {@code --shard}; picocli names the option when the text is refused. */
    static final class ShardConverter implements picocli.CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(final String value) {
            try {
                if (value.isBlank()) {
                    throw new IllegalArgumentException("expected INDEX/COUNT such as 0/2, found ''");
                }
                return Shard.parse(value);
            } catch (final IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --journal-sync}; picocli names the option when the text is refused. */
    static final class JournalSyncConverter implements picocli.CommandLine.ITypeConverter<JournalSync> {
        @Override
        public JournalSync convert(final String value) {
            try {
                return JournalSync.parse(value);
            } catch (final IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

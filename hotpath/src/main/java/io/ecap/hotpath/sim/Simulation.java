package io.ecap.hotpath.sim;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineSettings;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.state.CrashPoints;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.json.CustomerProfileJson;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A deterministic simulation of the engine's process. One seed decides every payment, label, event, profile and
 * list change ({@link SimWorkload}), with new rules, models and retention now and then; every crash (at any
 * {@link CrashPoints} step of the write path, in the journal's append, during recovery, or between changes); every
 * failed journal write; every power loss (the machine restarts: the state is rebuilt from the journal, and the last
 * entry, if it was never acknowledged, may be torn); and the clock the journal's daily files roll by. The same seed
 * gives the same run, entry for entry
 * ({@link Result#journalDigest}).
 *
 * <p>After every restart the interrupted command is sent again, as a client that got no answer does, and its answer
 * is checked: a payment journaled before the crash gets its first decision back, one that was not is scored. Repeats
 * of recent payments must get their first decision back and changed repeats an idempotency conflict naming it. At the
 * end ({@link SimChecks}): every acknowledged decision is in the journal once, where it was acknowledged; a replay of
 * the journal into empty state reproduces every entry; and the state the crashes left equals the replay's.
 * Needs the JVM started with {@code -Decap.crash.at=simulation}.
 */
public final class Simulation {
    /**
     * @param crashRate          chance that a crash point, when reached, is where the process dies (and that it
     *                           dies between two commands)
     * @param journalFailureRate chance that a journal append fails with an I/O error
     * @param powerLosses        machine stops (state rebuilt from the journal), spread over the run; and unless 0, a
     *                           crash while an entry is written is a machine stop one time in three (entry torn)
     * @param journalSynced      whether each acknowledged entry is on the disk (the journal sync policy {@code entry});
     *                           if not, a power loss tears the newest one, and the checks must find it lost
     */
    public record Settings(long seed, int steps, double crashRate, double journalFailureRate, int powerLosses,
        long entities, long txns, boolean journalSynced) {
        public static Settings of(final long seed, final int steps) {
            return new Settings(seed, steps, 1.0 / 20_000, 1.0 / 20_000, 2, 1_000, 4_096, true);
        }
    }

    /**
     * @param crashes       crashes by the point they came at ({@code between}: between two commands)
     * @param repairedEnds  starts that found the journal's newest file without its last entry and repaired it
     * @param journalDigest a digest of every journal entry but the engine's own time: equal for equal seeds
     * @param failures      what went wrong, with the step; empty when every check passed
     */
    public record Result(long seed, int steps, int transactions, Map<String, Integer> crashes, int powerLosses,
        int tornEntries, int repairedEnds, int journalFailures, int cleanRestarts, long repeatsChecked,
        long conflictsChecked, long journalEntries, long journalDigest, List<String> failures, long elapsedNs) {
        public boolean passed() {
            return failures.isEmpty();
        }

        public int crashCount() {
            return crashes.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Settings settings;
    private final Path data;
    private final BetweenCommands beside;
    private final SimWorkload workload;
    private final SplittableRandom faults;
    private final SimLedger ledger = new SimLedger();
    private final Map<String, Integer> crashes = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer json = new UnsafeBuffer(new byte[0]);
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final TransactionJson transactions = new TransactionJson();
    private final LabelJson labels = new LabelJson();
    private final UserEventJson events = new UserEventJson();
    private final CustomerProfileJson profiles = new CustomerProfileJson();
    private final int[] powerLossSteps;
    private SimEngine life;
    private long clockMs = SimWorkload.T0;
    private int step;
    private int powerLosses;
    private int tornEntries;
    private int journalFailures;
    private int cleanRestarts;
    private long repeatsChecked;
    private long conflictsChecked;
    private int ruleVersion;
    private int modelVersion;
    /** Journal writes of the current command that failed (it was sent again). */
    private int failedWrites;
    /** The crash plan's verdicts are live (off while the simulation itself sets things up). */
    private boolean crashesOn;

    private Simulation(final Settings settings, final Path data, final BetweenCommands beside) {
        this.settings = settings;
        this.data = data;
        this.beside = beside;
        this.workload = new SimWorkload(settings.seed());
        this.faults = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        this.powerLossSteps = new int[settings.powerLosses()];
        for (int i = 0; i < powerLossSteps.length; i++) {
            powerLossSteps[i] = settings.steps() * (i + 1) / (powerLossSteps.length + 1);
        }
    }

    /**
     * Another process beside the engine, simulated on the same thread: called between two commands, with the number
     * of the command just answered, while the engine's crash points are off. The journal in {@code data/journal} has
     * every entry the engine wrote so far.
     */
    public interface BetweenCommands {
        void after(int step) throws IOException;
    }

    /** Runs one simulation in {@code data} (a new, empty folder). */
    public static Result run(final Settings settings, final Path data) throws IOException {
        return run(settings, data, step -> { });
    }

    /** {@link #run(Settings, Path)}, with {@code beside} called between every two commands. */
    public static Result run(final Settings settings, final Path data, final BetweenCommands beside)
        throws IOException {
        final String bootBefore = System.getProperty(SimChecks.BOOT_ID);
        final Simulation sim = new Simulation(settings, data, beside);
        final long start = System.nanoTime();
        try {
            System.setProperty(SimChecks.BOOT_ID, sim.nextBootId());
            CrashPoints.simulate(sim::crashAt);
            sim.runSteps();
            if (sim.failures.isEmpty()) {
                sim.crashesOn = false;
                sim.failures.addAll(SimChecks.atEnd(sim.life, sim.ledger, data, settings, sim.workload.transactions()));
            }
        } finally {
            CrashPoints.simulate(null);
            if (sim.life != null) {
                sim.life.stop();
            }
            if (bootBefore == null) {
                System.clearProperty(SimChecks.BOOT_ID);
            } else {
                System.setProperty(SimChecks.BOOT_ID, bootBefore);
            }
        }
        final long[] digest = SimChecks.journalDigest(data.resolve("journal"));
        return new Result(settings.seed(), sim.step, sim.workload.transactions(), sim.crashes, sim.powerLosses,
            sim.tornEntries, SimChecks.repairedEnds(data.resolve("journal")), sim.journalFailures, sim.cleanRestarts,
            sim.repeatsChecked, sim.conflictsChecked, digest[0], digest[1], List.copyOf(sim.failures),
            System.nanoTime() - start);
    }

    /** Removes a simulation's folder and everything in it (a passing seed's, or one from before). */
    public static void removeFolder(final Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private String nextBootId() {
        return new UUID(faults.nextLong(), faults.nextLong()).toString();
    }

    private boolean crashAt(final String point) {
        return crashesOn && faults.nextDouble() < settings.crashRate() * weight(point);
    }

    /** Rare steps are made likelier, so that every run dies in them too. */
    private static double weight(final String point) {
        return switch (point) {
            case "grow", "rotate" -> 2_000;
            case "copy", "evict" -> 50;
            case "shadow" -> 4;
            default -> 1;
        };
    }

    private void runSteps() throws IOException {
        Files.createDirectories(data);
        restart(false);
        setUp();
        int nextPowerLoss = 0;
        for (step = 0; step < settings.steps() && failures.isEmpty(); step++) {
            clockMs += 50; // the journal's daily files roll about every 1.7 million steps
            final SimWorkload.Action action = workload.next();
            perform(action);
            if (nextPowerLoss < powerLossSteps.length && step == powerLossSteps[nextPowerLoss]) {
                nextPowerLoss++;
                crash("power", true, null);
            } else if (faults.nextDouble() < settings.crashRate()) {
                crash("between", false, null);
            } else if (faults.nextInt(100_000) == 0) {
                cleanRestarts++;
                life.stop();
                life = null;
                restart(false);
            }
            if (step % 200_000 == 199_999) {
                changeRules();
            } else if (step % 200_000 == 99_999) {
                changeModel();
            } else if (step % 300_000 == 149_999) {
                perform(new SimWorkload.Action(SimWorkload.Kind.SETTINGS, -1, retention(step / 300_000 + 1).text(),
                    null));
            }
            beside.after(step);
        }
    }

    /**
     * What an operator sets up first: retention short enough to remove entities, rules, a model, a challenger. Later
     * the rules, the model and the retention change now and then.
     */
    private void setUp() {
        perform(new SimWorkload.Action(SimWorkload.Kind.SETTINGS, -1, retention(0).text(), null));
        perform(new SimWorkload.Action(SimWorkload.Kind.SHADOW, -1, rules("challenger", 1, 300, 500), null));
        changeRules();
        changeModel();
    }

    /** Retention days, shorter or longer from one change to the next. */
    private static EngineSettings retention(final int change) {
        final int more = change % 2 * 5;
        return EngineSettings.of(Map.of(EntityKind.CARD, 20 + more, EntityKind.CUSTOMER, 30 + more,
            EntityKind.DEVICE, 10 + more, EntityKind.IP, 5 + more, EntityKind.MERCHANT, 60));
    }

    /** A logistic model over three features, its weights and version new each time. */
    private void changeModel() {
        modelVersion++;
        final String text = "ecap-model 1\nname sim-lr\nversion " + modelVersion + "\ntype logistic\n"
            + "features txn.amount_usd card.count_1h customer.amount_zscore\nintercept -4.2\nweights "
            + (0.001 * modelVersion % 0.005) + " 0.31 " + (0.1 * (modelVersion % 7)) + "\n";
        perform(new SimWorkload.Action(SimWorkload.Kind.MODEL, -1, text, null));
    }

    private void changeRules() {
        ruleVersion++;
        final String text = rules("sim", ruleVersion, 250 + ruleVersion % 5 * 50, 550 + ruleVersion % 3 * 100);
        perform(new SimWorkload.Action(SimWorkload.Kind.RULES, -1, text, null));
    }

    private static String rules(final String name, final int version, final int review, final int decline) {
        return DefaultRules.text().replace("ruleset default version 2", "ruleset " + name + " version " + version)
            .replace("thresholds review 400 decline 700", "thresholds review " + review + " decline " + decline);
    }

    /** Sends a command until it is answered, through crashes and failed journal writes; checks the answer. */
    private void perform(final SimWorkload.Action action) {
        boolean interrupted = false;
        failedWrites = 0;
        while (true) {
            crashesOn = true;
            try {
                apply(action, interrupted);
                break;
            } catch (final CrashPoints.Crash c) {
                crash(c.point(), false, action);
                interrupted = true;
            } catch (final SimEngine.JournalFailure e) {
                journalFailures++;
                failedWrites++;
            } catch (final RuntimeException | RuleSetException | ModelException e) {
                crashesOn = false;
                fail("command " + describe(action) + " failed: " + e);
                return;
            }
        }
        // after the answer, as the writer does; if it fails it is tried again before the next change, and after a
        // crash recovery completes it: the answer given stands either way
        try {
            life.engine.scorePendingShadow();
        } catch (final CrashPoints.Crash c) {
            crash(c.point(), false, null);
        } catch (final SimEngine.JournalFailure e) {
            journalFailures++;
        }
        crashesOn = false;
    }

    private void apply(final SimWorkload.Action action, final boolean retried)
        throws RuleSetException, ModelException {
        final Engine engine = life.engine;
        switch (action.kind()) {
            case SCORE, REPEAT, CONFLICT -> scoreAndCheck(action, retried);
            case LABEL -> journaled(engine.label(message, 0, labels.parse(json(action), 0, json.capacity(),
                message, 0)), action);
            case EVENT -> journaled(engine.userEvent(message, 0, events.parse(json(action), 0, json.capacity(),
                message, 0)), action);
            case PROFILE -> journaled(engine.customerProfile(message, 0, profiles.parse(json(action), 0,
                json.capacity(), message, 0)), action);
            case LIST -> engine.listChange(action.change());
            case ERASE -> engine.erase(erasure(action.json()));
            case RULES -> engine.loadRuleSet(action.json(), "sim", clockMs);
            case MODEL -> engine.loadModel(action.json(), "sim", clockMs);
            case SHADOW -> engine.loadShadow(EntryType.SHADOW_RULE_SET, action.json(), "sim", clockMs);
            case SETTINGS -> engine.loadSettings(EngineSettings.parse(action.json()), "sim", clockMs);
            default -> throw new IllegalStateException(action.kind().toString());
        }
    }

    /** The erasure an action's {@code kind:id} names, asked at the simulated clock's time. */
    private Erasure erasure(final String kindAndId) {
        final int colon = kindAndId.indexOf(':');
        return Erasure.of(Erasure.kindNamed(kindAndId.substring(0, colon)), kindAndId.substring(colon + 1), "id",
            "sim", "simulated", clockMs);
    }

    private void journaled(final long journalIndex, final SimWorkload.Action action) {
        if (journalIndex <= 0) {
            fail(describe(action) + " was not journaled");
        }
    }

    /** The action's JSON, in {@link #json}. */
    private UnsafeBuffer json(final SimWorkload.Action action) {
        json.wrap(action.json().getBytes(StandardCharsets.UTF_8));
        return json;
    }

    private void scoreAndCheck(final SimWorkload.Action action, final boolean retried) {
        final int length = transactions.parse(json(action), 0, json.capacity(), message, 0);
        final int status = life.engine.score(message, 0, length);
        final int txn = action.txn();
        if (action.kind() == SimWorkload.Kind.CONFLICT) {
            conflictsChecked++;
            if (status != Engine.CONFLICT || life.engine.conflictIndex() != ledger.index(txn)) {
                fail("a changed repeat of " + SimWorkload.txnId(txn) + " got status " + status + " naming "
                    + Long.toHexString(life.engine.conflictIndex()) + ", not a conflict with "
                    + Long.toHexString(ledger.index(txn)));
            }
            return;
        }
        if (status == Engine.CONFLICT) {
            fail(describe(action) + " answered as a conflict");
            return;
        }
        decision.wrapForDecode(life.engine.decisionBuffer(), life.engine.decisionOffset(),
            life.engine.decisionLength());
        if (action.kind() == SimWorkload.Kind.REPEAT) {
            repeatsChecked++;
            if (status != Engine.DUPLICATE || !ledger.same(txn, decision)) {
                fail("a repeat of " + SimWorkload.txnId(txn) + " got " + (status == Engine.DUPLICATE ? "another "
                    + "decision: " + ledger.describe(txn) + " then " + decision.outcome() + " " + decision.score()
                    + " at " + Long.toHexString(decision.journalIndex()) : "scored again"));
            }
            return;
        }
        if (status == Engine.DUPLICATE && !retried) {
            fail("new payment " + SimWorkload.txnId(txn) + " answered as a repeat, after " + failedWrites
                + " failed journal writes");
            return;
        }
        ledger.ack(txn, decision);
    }

    /** The process dies ({@code power}: the machine stops); it starts again and recovers. */
    private void crash(final String point, final boolean power, final SimWorkload.Action pending) {
        crashesOn = false;
        crashes.merge(point, 1, Integer::sum);
        life.abandon();
        life = null;
        if (power) {
            powerLosses++;
            System.setProperty(SimChecks.BOOT_ID, nextBootId());
            if (!settings.journalSynced() && SimChecks.tear(data.resolve("journal"),
                SimWorkload.txnId(workload.transactions() - 1), false)) {
                tornEntries++;
            }
        }
        if (settings.powerLosses() > 0 && pending != null && pending.kind() == SimWorkload.Kind.SCORE
            && faults.nextInt(3) == 0 && (point.equals("journaled") || point.equals("applied"))) {
            // the machine stopped while the entry was being written: never acknowledged, it may be torn, or lost
            // whole while the file's header, which names it as the last entry, reached the disk
            System.setProperty(SimChecks.BOOT_ID, nextBootId());
            powerLosses++;
            final Path journalDir = data.resolve("journal");
            if (faults.nextBoolean() ? SimChecks.loseLastEntry(journalDir)
                : SimChecks.tear(journalDir, SimWorkload.txnId(pending.txn()), true)) {
                tornEntries++;
            }
        }
        restart(true);
    }

    private void restart(final boolean crashesDuringRecovery) {
        for (int attempt = 0; ; attempt++) {
            crashesOn = crashesDuringRecovery && attempt < 3;
            try {
                life = new SimEngine(data, settings.entities(), settings.txns(), clockMs, faults,
                    settings.journalFailureRate());
                crashesOn = false;
                return;
            } catch (final CrashPoints.Crash c) {
                crashes.merge("recovery:" + c.point(), 1, Integer::sum);
            } catch (final SimEngine.JournalFailure e) {
                journalFailures++; // completing a challenger's decision at start: tried again
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private String describe(final SimWorkload.Action action) {
        return action.kind() + " " + (action.json() != null ? action.json() : action.change().toString());
    }

    private void fail(final String what) {
        failures.add("seed " + settings.seed() + ", step " + step + ": " + what);
    }
}

package io.ecap.ops.cli;

import io.ecap.hotpath.engine.BackupRegister;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalRedaction;
import io.ecap.hotpath.journal.JournalSwap;
import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.FolderLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Rewrites a stopped engine's journal without the ids of the entities it erased ({@link JournalRedaction}), checks
 * that the copy replays into the engine's state, and swaps it in ({@link JournalSwap}). docs/RELIABILITY.md,
 * "Erasure".
 */
@Command(name = "redact-journal", mixinStandardHelpOptions = true,
    description = {
        "Rewrites the journal so that it no longer holds the ids of the entities erased (ecap erase, "
            + "POST /v1/admin/erasures): in every entry before an entity's erasure, its id becomes a pseudonym "
            + "made of the id's hashes ('~' and 24 hex digits). Entries keep their journal index; a payment after "
            + "the erasure (the customer came back) keeps its id.",
        "The copy must replay into exactly the engine's state before it replaces the journal. For a stopped "
            + "service and lake tailer: the journal's readers must not run meanwhile."})
public final class RedactJournalCommand implements Callable<Integer> {
    @Mixin
    private DataOption data;

    @Override
    public Integer call() throws Exception {
        final Path journal = data.existingJournal();
        final Path maps = data.state();
        if (!Files.exists(maps.resolve("engine.meta"))) {
            throw data.noState(maps, " to check the rewritten journal against: start the engine once on this folder "
                + "(ecap run, or ecap score of a file) and it brings the state back");
        }
        lock(maps, "the engine's state", "stop the service first").close(); // refused early while it runs
        try (FolderLock tailer = lock(data.dir().resolve("lake-tailer"), "the lake tailer's state",
            "stop the lake tailer first")) {
            JournalSwap.discardCopy(journal);
            final long startNs = System.nanoTime();
            final java.time.Instant rewriteStarted = java.time.Instant.now();
            final long lastIndex = lastIndex(journal);
            final JournalRedaction.Result result = JournalRedaction.rewrite(journal.toFile(),
                JournalSwap.redactedOf(journal).toFile());
            System.out.printf("%,d journal entries read in %.1f s; %,d erasure%s; %,d entr%s named an erased id "
                + "(%,d id%s)%n", result.entries(), (System.nanoTime() - startNs) / 1e9, result.erasures(),
                result.erasures() == 1 ? "" : "s", result.changed(), result.changed() == 1 ? "y" : "ies",
                result.replaced(), result.replaced() == 1 ? "" : "s");
            if (result.changed() == 0) {
                JournalSwap.discardCopy(journal);
                System.out.println("nothing to rewrite: the journal is left as it was");
                return 0;
            }
            final List<String> problems = check(maps, JournalSwap.redactedOf(journal));
            if (!problems.isEmpty()) {
                JournalSwap.discardCopy(journal);
                System.out.println("the rewritten journal does not replay into the engine's state; the journal is "
                    + "left as it was:");
                problems.forEach(p -> System.out.println("  " + p));
                return 1;
            }
            try (FolderLock engine = lock(maps, "the engine's state", "stop the service first")) {
                if (lastIndex(journal) != lastIndex) {
                    JournalSwap.discardCopy(journal);
                    throw new IllegalStateException("the journal grew while it was rewritten (an engine ran): it is "
                        + "left as it was; run this again with the service stopped");
                }
                JournalSwap.swap(journal);
            }
            System.out.println("the rewritten journal replays into the engine's state, and replaced the journal");
            final List<BackupRegister.Backup> backups = BackupRegister.stillThere(data.dir(), rewriteStarted);
            System.out.println("copies made before still hold the ids: backups (of this folder, still there: "
                + BackupRegister.describe(backups) + "), a lake loaded before (ecap lake erase --journaled), files "
                + "staged by ecap export-lake, the Kafka topics (docs/RELIABILITY.md, \"Erasure\")");
            return 0;
        }
    }

    private static long lastIndex(final Path journal) {
        try (Journal read = Journal.openReadOnly(journal.toFile())) {
            return read.lastIndex();
        }
    }

    /** Replays the copy into a new folder and compares it with the engine's state; what differs. */
    private List<String> check(final Path maps, final Path copy) throws Exception {
        final long[] sizes = ReplayCommand.sizesOf(maps);
        ReplayFolders.removeAbandoned(data.dir(), System.err);
        final Path target = ReplayFolders.create(data.dir());
        try {
            final Replay.Result replay = Replay.run(copy, target, sizes[0], sizes[1], n -> { });
            if (!replay.identical()) {
                return replay.examples();
            }
            try (FeatureStore live = FeatureStore.openQuiet(maps, sizes[0], sizes[1]);
                 FeatureStore rebuilt = FeatureStore.openQuiet(target, sizes[0], sizes[1])) {
                return StateDiff.compare(live, rebuilt);
            }
        } finally {
            ReplayFolders.delete(target);
        }
    }

    private FolderLock lock(final Path folder, final String what, final String todo) throws Exception {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try {
            return FolderLock.acquire(folder);
        } catch (final IllegalStateException inUse) {
            throw new IllegalArgumentException(what + " in " + folder.toAbsolutePath() + " is in use: " + todo);
        }
    }
}

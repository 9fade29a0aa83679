package io.ecap.hotpath.journal;

import io.ecap.hotpath.state.FolderSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Puts a rewritten journal ({@link JournalRedaction}) in the place of the original, so that a crash at any point leaves
 * one whole journal: the copy is written and synced in {@code journal.redacted}, then {@code journal} is renamed
 * {@code journal.old}, {@code journal.redacted} renamed {@code journal}, and {@code journal.old} deleted. A writer
 * opening the journal ({@link Journal#open}) first completes a swap a crash interrupted: with {@code journal.old}
 * there, the copy was complete and checked before the original moved, so it takes the copy.
 */
public final class JournalSwap {
    private JournalSwap() {
    }

    /** Where the rewritten copy of {@code journal} is written. */
    public static Path redactedOf(final Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".redacted");
    }

    static Path oldOf(final Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".old");
    }

    /** Syncs the copy, then swaps it for the original and deletes the original. */
    public static void swap(final Path journal) throws IOException {
        final Path redacted = redactedOf(journal);
        try (Stream<Path> files = Files.list(redacted)) {
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                FolderSync.syncFile(file);
            }
        }
        FolderSync.sync(redacted);
        Files.move(journal, oldOf(journal), StandardCopyOption.ATOMIC_MOVE);
        FolderSync.sync(journal.getParent());
        finishInterrupted(journal);
    }

    /**
     * Completes a swap that stopped after the original was renamed: takes the copy if the original's place is empty,
     * then deletes the original. Returns whether there was one to complete. A copy left without {@code journal.old}
     * (the rewrite or its check did not finish) is not taken: {@link #discardCopy} removes it.
     */
    public static boolean finishInterrupted(final Path journal) throws IOException {
        final Path old = oldOf(journal);
        if (!Files.exists(old)) {
            return false;
        }
        final Path copy = redactedOf(journal);
        if (Files.exists(copy)) {
            // the copy was not moved yet; an empty folder in the journal's place (made by a start that came first)
            // is nothing, anything else is a journal this does not know: left for a person to look at
            if (Files.exists(journal)) {
                try (Stream<Path> files = Files.list(journal)) {
                    if (files.findAny().isPresent()) {
                        throw new IllegalStateException(journal + " is not empty while a rewritten journal waits in "
                            + copy + " to replace the one in " + old + ": move the right one to " + journal
                            + " by hand");
                    }
                }
                Files.delete(journal);
            }
            Files.move(copy, journal, StandardCopyOption.ATOMIC_MOVE);
            FolderSync.sync(journal.getParent());
        } else if (!Files.exists(journal)) {
            throw new IllegalStateException("no journal in " + journal + " and no rewritten one beside it, only the "
                + "original in " + old + ": move it back to " + journal + " by hand");
        }
        delete(old);
        FolderSync.sync(journal.getParent());
        return true;
    }

    /**
     * For a writer about to append: completes an interrupted swap ({@link #finishInterrupted}), else deletes a copy a
     * rewrite left unchecked (the journal is about to change, so the copy could never be taken).
     */
    static void prepareForWriter(final Path journal) throws IOException {
        if (!finishInterrupted(journal)) {
            discardCopy(journal);
        }
    }

    /** Deletes a copy that was not swapped in (an interrupted or refused rewrite). */
    public static void discardCopy(final Path journal) throws IOException {
        delete(redactedOf(journal));
    }

    /** Deletes a folder and everything in it (nothing when it is not there). */
    static void delete(final Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}

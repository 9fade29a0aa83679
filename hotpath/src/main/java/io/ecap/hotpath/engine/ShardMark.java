package io.ecap.hotpath.engine;

import io.ecap.model.shard.Shard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shard a data folder belongs to, in its file {@code shard} ("1/4"; none for a single engine). A folder keeps
 * its shard for good: its journal holds only that shard's customers, so starting it as another shard, as a single
 * engine, or a single engine's folder as a shard would mix customers of several shards in one state. Such a start
 * is refused, naming both; docs/SHARDS.md says how to split a single engine's history.
 */
final class ShardMark {
    static final String FILE = "shard";

    private ShardMark() {
    }

    /**
     * Refuses a start of {@code configured} on a folder of another shard; marks a new folder of a shard. {@code
     * journalEmpty}: nothing was ever journaled in the folder.
     */
    static void check(final Path dataDir, final Shard configured, final boolean journalEmpty) throws IOException {
        final Path file = dataDir.resolve(FILE);
        final Shard marked = Files.exists(file) ? read(file) : null;
        if (marked == null && !configured.sharded()) {
            return;
        }
        if (marked != null && !marked.equals(configured)) {
            throw new IllegalStateException(dataDir.toAbsolutePath() + " is the data folder of shard " + marked
                + " (its file " + FILE + "), and this engine is configured as "
                + (configured.sharded() ? "shard " + configured : "a single engine")
                + ": start it as shard " + marked + " (engine.shard=" + marked + ", or ecap score --shard " + marked
                + "), or give this engine a folder of its own");
        }
        if (marked == null) {
            if (!journalEmpty) {
                throw new IllegalStateException(dataDir.toAbsolutePath() + " holds the journal of a single engine, "
                    + "with every customer; shard " + configured + " needs a new data folder (docs/SHARDS.md, "
                    + "\"Resharding\")");
            }
            Files.writeString(file, configured + "\n", StandardCharsets.US_ASCII);
        }
    }

    private static Shard read(final Path file) throws IOException {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            if (text.isBlank()) {
                throw new IllegalArgumentException("it is empty");
            }
            return Shard.parse(text);
        } catch (final IllegalArgumentException e) {
            throw new IllegalStateException(file.toAbsolutePath() + " is damaged: " + e.getMessage()
                + " (it says which shard this data folder belongs to)", e);
        }
    }
}

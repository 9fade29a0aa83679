package io.ecap.tailer;

import io.ecap.model.storage.ErasurePauseFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whether an erasure holds the lake ({@link ErasurePauseFile}): the tailer starts no batch while it does. Says when a
 * pause begins and ends; a file that is not a pause's is said once and ignored (an erasure always writes a valid one).
 */
class ErasurePause {
    /** No pause ever: for tailers that share a lake with no erasure (tests, the simulation). */
    static final ErasurePause NONE = new ErasurePause();

    private final FileSystem fs;
    private final Path file;
    private final Consumer<String> say;
    private String holding;
    private String refused;

    ErasurePause(final String lakeRoot, final Configuration hadoop, final Consumer<String> say) throws IOException {
        this.file = new Path(lakeRoot + "/" + ErasurePauseFile.FILE);
        this.fs = file.getFileSystem(hadoop);
        this.say = say;
    }

    private ErasurePause() {
        this.fs = null;
        this.file = null;
        this.say = text -> { };
    }

    /** True while a pause's file is there and its lease not over at {@code nowMs}. */
    boolean holds(final long nowMs) throws IOException {
        if (fs == null) {
            return false;
        }
        final String text = read();
        String holder = null;
        if (text != null) {
            try {
                if (ErasurePauseFile.until(text) > nowMs) {
                    holder = ErasurePauseFile.holder(text);
                }
            } catch (final IllegalArgumentException e) {
                if (!text.equals(refused)) {
                    refused = text;
                    say.accept("ignoring " + file + ": " + e.getMessage());
                }
            }
        }
        if (holder != null && holding == null) {
            say.accept("paused: an erasure is deleting from the lake (" + holder + "); no batch starts until it "
                + "ends");
        } else if (holder == null && holding != null) {
            say.accept("resumed: the erasure ended");
        }
        holding = holder;
        return holder != null;
    }

    private String read() throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final FileNotFoundException e) {
            return null;
        }
    }
}

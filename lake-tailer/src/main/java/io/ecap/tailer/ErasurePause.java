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
    /** The lease's end and holder the last valid pause named (0: none since the file was last seen gone). */
    private long lastUntil;
    private String lastHolder;

    ErasurePause(final String lakeRoot, final Configuration hadoop, final Consumer<String> say) throws IOException {
        this.file = new Path(lakeRoot + "/" + ErasurePauseFile.FILE);
        // an instance of its own, reading without the local file system's checksum file: the erasure rewrites the
        // pause every few seconds, and a checksum read half way through would only log a stack trace
        this.fs = FileSystem.newInstance(file.toUri(), hadoop);
        fs.setVerifyChecksum(false);
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
        if (text == null) {
            lastUntil = 0;
        } else {
            try {
                lastUntil = ErasurePauseFile.until(text);
                lastHolder = ErasurePauseFile.holder(text);
                if (lastUntil > nowMs) {
                    holder = lastHolder;
                }
            } catch (final IllegalArgumentException e) {
                if (lastUntil > nowMs) {
                    holder = lastHolder; // read while the erasure rewrote it: the lease read before still holds
                } else if (!text.equals(refused)) {
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

    /** The file's text; null when there is none; "" when it could not be read whole (being rewritten). */
    private String read() {
        try (FSDataInputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final FileNotFoundException e) {
            return null;
        } catch (final IOException e) {
            return "";
        }
    }
}

package io.ecap.tailer;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Which journal a lake is loaded from, kept in {@value #FILE} under the lake's root: the index and checksum of the
 * journal's first entry, the settings an engine journals first in a new data folder (no rewrite of the journal changes
 * it: a redaction rewrites payments, events and profiles only). Journal indices start over in every data folder (the
 * day and a count), so a tailer pointed at a lake loaded from another journal would take the entries up to that
 * lake's last index for its own and skip them; it refuses instead, naming both.
 */
final class LakeJournal {
    /** Where the identity is, relative to the lake's root. */
    static final String FILE = "_ecap/journal";

    private LakeJournal() {
    }

    /** The journal's identity, or null if its first entry is not the settings (then nothing is checked). */
    static String of(final java.nio.file.Path journalDir) {
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader()) {
            if (!reader.next() || reader.type() != EntryType.SETTINGS) {
                return null;
            }
            return String.format("first entry: index %d, CRC32C %d", reader.index(), reader.checksum());
        }
    }

    /**
     * Records the journal's identity in a lake that has none (a new lake, or one loaded before identities were kept),
     * or refuses a lake loaded from another journal.
     *
     * @throws IllegalArgumentException naming both journals, when the lake was loaded from another one
     */
    static void check(final String lakeRoot, final Configuration hadoop, final java.nio.file.Path journalDir)
        throws IOException {
        final String identity = of(journalDir);
        if (identity == null) {
            return;
        }
        final Path file = new Path(lakeRoot + "/" + FILE);
        final FileSystem fs = file.getFileSystem(hadoop);
        String recorded;
        try (FSDataInputStream in = fs.open(file)) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (final FileNotFoundException e) {
            recorded = null;
        }
        if (recorded == null || recorded.isEmpty()) {
            try (FSDataOutputStream out = fs.create(file, true)) {
                out.write((identity + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } else if (!recorded.equals(identity)) {
            throw new IllegalArgumentException("--lake: the lake " + lakeRoot + " was loaded from another journal ("
                + FILE + ": " + recorded + ") than the one in " + journalDir + " (" + identity + "); journal "
                + "indices start over in every data folder, so its entries would be taken for ones already loaded. "
                + "Point --lake at this data folder's own lake, or at a new folder");
        }
    }
}

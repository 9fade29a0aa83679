package io.ecap.hotpath.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's pretoucher faults pages in ahead of the writer through a mapping of its own: it must run ahead of
 * where the writer appends, and never change what the writer wrote, even while both work on the same file. The
 * writer's own {@link Journal#prefetchNext()} before each append must not either.
 */
class JournalToucherTest {
    @TempDir
    Path dir;

    @Test
    void shouldTouchAheadOfTheWriterWithoutChangingWhatItWrites() throws Exception {
        final int entries = 20_000;
        final Random random = new Random(11);
        final byte[][] written = new byte[entries][];
        try (Journal journal = Journal.open(dir.toFile()); JournalToucher toucher = JournalToucher.stepped(journal)) {
            for (int i = 0; i < entries; i++) {
                final byte[] entry = new byte[16 + random.nextInt(1500)];
                random.nextBytes(entry);
                entry[0] = (byte) (i | 1); // never a zero first word: a touch that wrote would show
                entry[3] &= 0x7F; // a header's version below 0x8000, the journal's checksum flag (EntryChecksums)
                written[i] = entry;
                journal.prefetchNext(); // the writer loads the next entry's place first: reads only
                journal.append(new UnsafeBuffer(entry), 0, entry.length);
                if (i % 5_000 == 2_500) {
                    assertTouchesAhead(journal, toucher); // the writer then goes on over the touched pages
                }
            }
            final long position = assertTouchesAhead(journal, toucher);
            assertUntouched(Journal.newestFile(dir.toFile()).toPath(), position, toucher.touchedTo());
            try (JournalReader reader = journal.reader()) {
                for (int i = 0; i < entries; i++) {
                    assertTrue(reader.next(), "entry " + i);
                    final byte[] read = new byte[reader.length()];
                    reader.buffer().getBytes(0, read);
                    assertArrayEquals(written[i], read, "entry " + i);
                }
            }
        }
    }

    @Test
    void shouldNotTouchAnythingBeforeTheFirstAppend() throws Exception {
        try (Journal journal = Journal.open(dir.toFile()); JournalToucher toucher = JournalToucher.stepped(journal)) {
            assertFalse(toucher.touchAhead(), "nothing to do before the writer appended");
            assertEquals(0, toucher.touchedTo());
            assertEquals(0, journal.appendedTo());
            assertEquals(0, journal.prefetchNext(), "no place to load before the first append");
        }
    }

    /**
     * Steps the toucher until it has nothing left to do: it must then have touched beyond the writer's position, and
     * no further than its distance ahead (within the file). Returns the writer's position.
     */
    private static long assertTouchesAhead(final Journal journal, final JournalToucher toucher) throws Exception {
        while (toucher.touchAhead()) {
            assertTrue(toucher.touchedTo() > 0);
        }
        final long position = Journal.positionOf(journal.appendedTo());
        assertTrue(toucher.touchedTo() > position, "touched to " + toucher.touchedTo() + ", the writer at " + position);
        assertTrue(toucher.touchedTo() <= position + JournalToucher.AHEAD,
            "touches no further than its distance ahead of the writer");
        return position;
    }

    /** The pages faulted in beyond the writer still hold only zeros: touching never writes. */
    private static void assertUntouched(final Path file, final long from, final long to) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final ByteBuffer bytes = ByteBuffer.allocate((int) (to - from));
            channel.read(bytes, from);
            for (int i = 0; i < bytes.capacity(); i++) {
                assertEquals(0, bytes.get(i), "byte at " + (from + i));
            }
        }
    }
}

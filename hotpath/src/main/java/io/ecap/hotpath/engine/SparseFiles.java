package io.ecap.hotpath.engine;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of the engine's sparse files (state files, the journal's daily files) that stay sparse. The source is read
 * front to back, to its end as it is at each step, so a journal file copied while the engine appends to it holds a
 * consistent prefix: an entry's header is marked complete only after its bytes are written, and the copy reads the
 * header before the bytes that follow.
 */
public final class SparseFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SparseFiles.class);
    private static final int BLOCK = 64 * 1024;
    /** Alignment of writes that bypass the page cache: the file system's block. */
    private static final int ALIGN = 4096;
    private static final int CHUNK = 16 * BLOCK;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BLOCK).asReadOnlyBuffer();

    private SparseFiles() {
    }

    /**
     * Copies a file, leaving holes where the source has whole blocks of zeros; the copy has the source's length. The
     * copy's blocks are written straight to the disk (O_DIRECT) where the file system allows it: a gigabyte of state
     * copied through the page cache first costs seconds of making new cache pages on a virtual machine, and those
     * pages would only push the engine's own out of memory.
     */
    public static long copy(final Path from, final Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
            RandomAccessFile out = new RandomAccessFile(to.toFile(), "rw")) {
            out.setLength(0);
            final long digest = copyBlocks(in, out, openDirect(to));
            out.setLength(in.size());
            return digest;
        }
    }

    /**
     * The file's content digest, as {@link #copy} returns it: a CRC32C over each block that is not all zeros, with its
     * place in the file. Blocks of zeros count as nothing, so a copy that holds them as holes has the same digest.
     */
    public static long digest(final Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return copyBlocks(in, null, null);
        }
    }

    /**
     * The file's content digest ({@link #digest}), read until two reads in a row agree (at most four reads): for a
     * file just written through a memory mapping, whose digest is recorded as the truth later copies are checked
     * against. On this project's test machines (Linux 6.18, ext4, a virtual disk) a read of such a file while the
     * kernel reclaimed page cache now and then returned another version of it (back-to-back reads disagreed in one
     * snapshot in 7 to 30 with the caches dropped every 0.3 s), while the next read returned the version written.
     */
    public static long settledDigest(final Path file) throws IOException {
        long previous = digest(file);
        for (int read = 2; read <= 4; read++) {
            final long next = digest(file);
            if (next == previous) {
                return next;
            }
            LOG.warn("{}: read {} of it gave another content digest than the read before ({} against {}); read again",
                file, read, Long.toHexString(next), Long.toHexString(previous));
            previous = next;
        }
        throw new IOException(file + ": its content differed on each of four reads (written to meanwhile?)");
    }

    /** Copies (to {@code out}, or nowhere when it is null) the blocks that are not all zeros; returns the digest. */
    private static long copyBlocks(final FileChannel in, final RandomAccessFile out, final FileChannel directOrNull)
        throws IOException {
        FileChannel direct = directOrNull;
        final CRC32C digest = new CRC32C();
        final ByteBuffer place = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try {
            final FileChannel buffered = out == null ? null : out.getChannel();
            final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK + ALIGN).alignedSlice(ALIGN);
            // to the file's end as it is after each chunk, not as it was at the start: the engine extends a journal
            // file before it writes an entry that crosses the old end, and an entry whose completed header was
            // copied must have its bytes copied too, not the zeros a length taken at the start would leave
            for (long at = 0; at < in.size(); at += CHUNK) {
                buffer.clear();
                while (buffer.hasRemaining() && in.read(buffer, at + buffer.position()) > 0) {
                    // read the whole chunk (or to the end of the file)
                }
                final int read = buffer.position();
                for (int block = 0; block < read; block += BLOCK) {
                    final int length = Math.min(BLOCK, read - block);
                    final ByteBuffer slice = buffer.duplicate().position(block).limit(block + length);
                    if (slice.mismatch(ZEROS.duplicate().limit(length)) < 0) {
                        continue;
                    }
                    digest.update(place.clear().putLong(0, at + block));
                    digest.update(slice.duplicate());
                    if (buffered == null) {
                        continue;
                    }
                    // whole aligned pages go straight to the disk; a file's last partial page through the cache
                    int whole = direct == null ? 0 : length & -ALIGN;
                    try {
                        writeFully(direct, slice.duplicate().limit(block + whole), at + block);
                    } catch (final IOException e) {
                        direct.close(); // refused (a file system with larger blocks): the cache then, for all of it
                        direct = null;
                        whole = 0;
                    }
                    writeFully(buffered, slice.position(block + whole), at + block + whole);
                }
            }
            return digest.getValue();
        } finally {
            if (direct != null) {
                direct.close();
            }
        }
    }

    /** The file opened for writes that bypass the page cache, or null where the file system refuses it. */
    private static FileChannel openDirect(final Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (final IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer bytes, final long position)
        throws IOException {
        final int start = bytes.position();
        while (bytes.hasRemaining()) {
            channel.write(bytes, position + bytes.position() - start);
        }
    }

}

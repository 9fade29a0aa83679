package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One entity kind's records, in a file that only grows: a 4 KiB header, then chunks of {@link #CHUNK_RECORDS}
 * records, each chunk mapped on its own once records reach it. Every chunk starts with a day-of-last-activity array
 * (one {@code i32} per record, so the retention sweep reads 16 records' ages per cache line) followed by the
 * fixed-size records. The file is sparse: nothing is written or zeroed ahead of use, so creating it costs the same at
 * any capacity, and a record never used is all zero.
 *
 * <pre>
 * file &lt;kind&gt;.records:
 *   0                    header (4096 bytes, see EntityTable)
 *   4096 + c * CHUNK     chunk c: i32 activity day[65536], then 65536 records of RECORD bytes
 * </pre>
 */
final class RecordArena implements AutoCloseable {
    static final int HEADER = 4096;
    /** Bytes per record: the bookkeeping and id, then the state; a whole number of cache lines. */
    static final int RECORD = EntityRecord.STATE + EntityLayout.LENGTH;
    static final int CHUNK_SHIFT = 16;
    static final int CHUNK_RECORDS = 1 << CHUNK_SHIFT;
    static final long ACTIVITY_BYTES = (long) CHUNK_RECORDS * 4;
    static final long CHUNK_BYTES = ACTIVITY_BYTES + (long) CHUNK_RECORDS * RECORD;
    /** Record numbers fit in 31 bits: at most 32 768 chunks (2^31 records, 1.6 TiB) per kind. */
    static final int MAX_CHUNKS = 1 << 15;

    static {
        if (RECORD % 64 != 0 || CHUNK_BYTES % 4096 != 0) {
            throw new AssertionError("records must be whole cache lines and chunks whole pages: " + RECORD);
        }
    }

    private final File file;
    private final RandomAccessFile raf;
    private final FileChannel channel;
    private final boolean readOnly;
    private MappedByteBuffer headerMap;
    private UnsafeBuffer header;
    private final MappedByteBuffer[] chunks = new MappedByteBuffer[MAX_CHUNKS];
    private final long[] chunkAddress = new long[MAX_CHUNKS];
    private volatile int mappedChunks;

    private RecordArena(final File file, final boolean readOnly) throws IOException {
        this.file = file;
        this.readOnly = readOnly;
        this.raf = new RandomAccessFile(file, readOnly ? "r" : "rw");
        this.channel = raf.getChannel();
        try {
            headerMap = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0,
                HEADER);
            header = new UnsafeBuffer(headerMap);
            mapFileChunks();
        } catch (final IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens (or, for writing, creates) the file; a new file is a zero header and no chunks. */
    static RecordArena open(final File file, final boolean readOnly) throws IOException {
        return new RecordArena(file, readOnly);
    }

    File file() {
        return file;
    }

    /** The header page (4096 bytes), for {@link EntityTable}'s fields. */
    UnsafeBuffer header() {
        return header;
    }

    long headerAddress() {
        return header.addressOffset();
    }

    /** Address of a record; its chunk must be mapped. */
    long recordAddress(final long record) {
        return chunkAddress[(int) (record >>> CHUNK_SHIFT)] + ACTIVITY_BYTES
            + (record & CHUNK_RECORDS - 1) * RECORD;
    }

    /** Address of a record's activity day. */
    long activityAddress(final long record) {
        return chunkAddress[(int) (record >>> CHUNK_SHIFT)] + ((record & CHUNK_RECORDS - 1) << 2);
    }

    /** File offset of a record (what the undo log names it by). */
    static long recordOffset(final long record) {
        return HEADER + (record >>> CHUNK_SHIFT) * CHUNK_BYTES + ACTIVITY_BYTES
            + (record & CHUNK_RECORDS - 1) * RECORD;
    }

    static long activityOffset(final long record) {
        return HEADER + (record >>> CHUNK_SHIFT) * CHUNK_BYTES + ((record & CHUNK_RECORDS - 1) << 2);
    }

    /** Address of a file offset that {@link #recordOffset}, {@link #activityOffset} or the header gave. */
    long addressOfOffset(final long offset) {
        if (offset < HEADER) {
            return header.addressOffset() + offset;
        }
        final long inChunks = offset - HEADER;
        final int chunk = (int) (inChunks / CHUNK_BYTES);
        if (chunk >= mappedChunks) {
            throw new IllegalStateException(file + ": offset " + offset + " lies beyond the mapped records");
        }
        return chunkAddress[chunk] + inChunks % CHUNK_BYTES;
    }

    /** Chunks mapped (any thread). */
    int mappedChunks() {
        return mappedChunks;
    }

    /** Address of a mapped chunk's start (any thread, for chunks below {@link #mappedChunks()}). */
    long chunkAddress(final int chunk) {
        return chunkAddress[chunk];
    }

    /**
     * Maps chunks so that records {@code [0, records)} are addressable, plus one chunk beyond them so that the
     * pretoucher can work ahead of the writer. Extends the file (sparsely) as needed. Writer only.
     */
    void mapThrough(final long records) throws IOException {
        final int needed = (int) ((records + CHUNK_RECORDS - 1) >>> CHUNK_SHIFT) + 1;
        if (needed > MAX_CHUNKS) {
            throw new IllegalStateException(file + ": more than 2^31 records");
        }
        while (mappedChunks < needed) {
            mapChunk(mappedChunks);
        }
    }

    /** Maps the whole chunks the file holds that are not mapped yet (at open, and for readers beside a writer). */
    void mapFileChunks() throws IOException {
        final long inFile = Math.max(0, (channel.size() - HEADER) / CHUNK_BYTES);
        while (mappedChunks < inFile) {
            mapChunk(mappedChunks);
        }
    }

    private void mapChunk(final int c) throws IOException {
        final MappedByteBuffer mapped = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY
            : FileChannel.MapMode.READ_WRITE, HEADER + c * CHUNK_BYTES, CHUNK_BYTES);
        if (!readOnly) {
            HugePages.advise(mapped);
        }
        chunks[c] = mapped;
        chunkAddress[c] = BufferUtil.address(mapped);
        mappedChunks = c + 1;
    }

    /** Bytes the file takes on disk, for the fill report (its logical size; blocks never written take none). */
    long fileBytes() {
        return file.length();
    }

    @Override
    public void close() {
        for (int c = 0; c < mappedChunks; c++) {
            IoUtil.unmap(chunks[c]);
            chunks[c] = null;
        }
        mappedChunks = 0;
        if (headerMap != null) {
            IoUtil.unmap(headerMap);
        }
        try {
            channel.close();
            raf.close();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Loads every cache line of the record at {@code at}; returns a value that depends on the loads. */
    static long touchLines(final long at) {
        long sum = 0;
        for (int offset = 0; offset < RECORD; offset += 64) {
            sum += UnsafeApi.getLong(null, at + offset);
        }
        return sum;
    }
}

package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal indexes of every rule set and model that went live, in order, so the admin API can list versions
 * without scanning the journal. An append-only file of 16-byte records ({@code i32 entry type, i32 reserved,
 * i64 journal index}); a record cut short by a crash is dropped at open and recovery adds it again from the journal.
 * Written by the writer thread; read by anyone.
 */
public final class ConfigHistory implements AutoCloseable {
    private static final int RECORD = 16;

    /** One change that went live. */
    public record Change(int entryType, long journalIndex) {
    }

    private final File file;
    private final FileChannel channel;
    private final ByteBuffer record = ByteBuffer.allocate(RECORD).order(ByteOrder.LITTLE_ENDIAN);

    private ConfigHistory(final File file, final FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    public static ConfigHistory open(final File dir) throws IOException {
        final File file = new File(dir, "config.history");
        @SuppressWarnings("resource")
        final FileChannel channel = new RandomAccessFile(file, "rw").getChannel();
        channel.truncate(channel.size() / RECORD * RECORD);
        return new ConfigHistory(file, channel);
    }

    /** Records a change (writer thread), unless it is already the last one recorded for its type. */
    public void append(final int entryType, final long journalIndex) {
        try {
            if (lastIndex(entryType) >= journalIndex) {
                return;
            }
            record.clear();
            record.putInt(entryType).putInt(0).putLong(journalIndex).flip();
            channel.write(record, channel.size());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Every change of a type, oldest first. */
    public List<Change> list(final int entryType) {
        final List<Change> changes = new ArrayList<>();
        try {
            final long size = channel.size() / RECORD * RECORD;
            final ByteBuffer all = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(all, 0);
            all.flip();
            while (all.remaining() >= RECORD) {
                final int type = all.getInt();
                all.getInt();
                final long index = all.getLong();
                if (type == entryType) {
                    changes.add(new Change(type, index));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return changes;
    }

    private long lastIndex(final int entryType) {
        final List<Change> changes = list(entryType);
        return changes.isEmpty() ? 0 : changes.get(changes.size() - 1).journalIndex();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

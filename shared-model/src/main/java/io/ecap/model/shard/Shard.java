package io.ecap.model.shard;

import io.ecap.model.ValidationException;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * One engine of several, each owning the customers whose id falls to it: {@code index} of {@code count}, written
 * {@code "index/count"} ({@code "0/1"}: the only engine, owning every customer).
 *
 * <p>A customer falls to shard {@code positive(murmur2(customerId)) % count}, the id's bytes hashed as Kafka's default
 * partitioner hashes a record's key. A topic keyed by customer id with a partition count that is a multiple of
 * {@code count} therefore sends every record of a customer to a partition whose number {@code p} has
 * {@code p % count} equal to the customer's shard, and a shard can take exactly its partitions. docs/SHARDS.md.
 */
public record Shard(int index, int count) {
    /** The only engine: owns every customer. */
    public static final Shard SINGLE = new Shard(0, 1);
    /** Most shards one deployment may name. */
    public static final int MAX_COUNT = 1024;

    public Shard {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("expected 1 to " + MAX_COUNT + " shards, found " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("the shard's index must be 0 to " + (count - 1) + ", found " + index);
        }
    }

    /** Reads {@code "index/count"}, e.g. {@code "1/4"}; an empty or null text is {@link #SINGLE}. */
    public static Shard parse(final String text) {
        if (text == null || text.isBlank()) {
            return SINGLE;
        }
        final String t = text.strip();
        final int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1 || !digits(t, 0, slash) || !digits(t, slash + 1, t.length())
            || t.length() > 12) {
            throw new IllegalArgumentException("expected INDEX/COUNT such as 0/2, found '" + text + "'");
        }
        return new Shard(Integer.parseInt(t, 0, slash, 10), Integer.parseInt(t, slash + 1, t.length(), 10));
    }

    private static boolean digits(final String t, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** True if this is one engine of several. */
    public boolean sharded() {
        return count > 1;
    }

    /** The shard of {@code count} that owns the customer whose id is these bytes. */
    public static int of(final DirectBuffer id, final int offset, final int length, final int count) {
        return count == 1 ? 0 : (murmur2(id, offset, length) & 0x7fffffff) % count;
    }

    /** The shard of {@code count} that owns this customer id. */
    public static int of(final String customerId, final int count) {
        final byte[] bytes = customerId.getBytes(StandardCharsets.UTF_8);
        return of(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length, count);
    }

    /** True if this shard owns the customer whose id is these bytes. */
    public boolean owns(final DirectBuffer id, final int offset, final int length) {
        return of(id, offset, length, count) == index;
    }

    /**
     * Refuses the customer whose id is these bytes unless this shard owns it (an absent id, length 0, passes), with a
     * {@link ValidationException} on {@code customerId} that names the owning shard.
     */
    public void requireOwned(final DirectBuffer id, final int offset, final int length) {
        if (length > 0 && !owns(id, offset, length)) {
            throw new ValidationException("customerId", "'" + id.getStringWithoutLengthAscii(offset, length)
                + "' belongs to shard " + of(id, offset, length, count) + "/" + count + ", not to this engine (shard "
                + this + "): send it to that shard, or through ecap router");
        }
    }

    /** True if this shard reads partition {@code partition} of a topic keyed by customer id. */
    public boolean ownsPartition(final int partition) {
        return partition % count == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /** MurmurHash2, 32 bits, seed 0x9747b28c: the hash of Kafka's default partitioner, byte for byte. */
    static int murmur2(final DirectBuffer data, final int offset, final int length) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = 0x9747b28c ^ length;
        final int quads = length / 4;
        for (int i = 0; i < quads; i++) {
            final int at = offset + i * 4;
            int k = (data.getByte(at) & 0xff) + ((data.getByte(at + 1) & 0xff) << 8)
                + ((data.getByte(at + 2) & 0xff) << 16) + ((data.getByte(at + 3) & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        final int tail = offset + quads * 4;
        switch (length % 4) {
            case 3:
                h ^= (data.getByte(tail + 2) & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data.getByte(tail + 1) & 0xff) << 8;
                // fall through
            case 1:
                h ^= data.getByte(tail) & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}

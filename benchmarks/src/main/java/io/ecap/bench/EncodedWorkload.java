package io.ecap.bench;

import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.TransactionJson;
import io.ecap.ops.generate.GeneratedTransaction;
import io.ecap.ops.generate.WorkloadGenerator;
import java.nio.charset.StandardCharsets;
import org.agrona.BufferUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Generated payments encoded once as binary transaction messages, so that benchmarks measure the engine and not the
 * JSON parser. Transaction ids have a fixed width, and {@link #nextRound()} rewrites them and moves every timestamp
 * forward in place, so the same messages can be scored again and again as new transactions.
 */
final class EncodedWorkload {
    private static final int ID_LENGTH = 12;
    /**
     * Letters of an id that count the rounds: 26^4 rounds before an id comes back (two letters wrapped after 676
     * rounds, which a small population reaches within a JMH run, and the rest were repeats answered from the journal).
     */
    private static final int ROUND_LETTERS = 4;

    final UnsafeBuffer data;
    final int[] offsets;
    final int[] lengths;
    final int count;
    private final long[] baseTs;
    private final int[] idOffsets;
    private final long spanMs;
    private long next;

    private EncodedWorkload(final UnsafeBuffer data, final int[] offsets, final int[] lengths, final long spanMs) {
        this.data = data;
        this.offsets = offsets;
        this.lengths = lengths;
        this.count = offsets.length;
        this.spanMs = spanMs;
        this.baseTs = new long[count];
        this.idOffsets = new int[count];
        final TransactionFlyweight txn = new TransactionFlyweight();
        for (int i = 0; i < count; i++) {
            txn.wrapForDecode(data, offsets[i], lengths[i]);
            baseTs[i] = txn.tsMs();
            idOffsets[i] = txn.stringOffset(TransactionFlyweight.TXN_ID);
            if (txn.stringLength(TransactionFlyweight.TXN_ID) != ID_LENGTH) {
                throw new IllegalStateException("unexpected id width");
            }
        }
    }

    /** Generates and encodes {@code count} payments with the default workload settings. */
    static EncodedWorkload generate(final int count, final long seed) {
        final WorkloadGenerator generator = new WorkloadGenerator(WorkloadGenerator.Settings.defaults(seed));
        final TransactionJson json = new TransactionJson();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
        final UnsafeBuffer data = new UnsafeBuffer(BufferUtil.allocateDirectAligned(count * 320 + 4096, 64));
        final int[] offsets = new int[count];
        final int[] lengths = new int[count];
        int at = 0;
        long first = 0;
        long last = 0;
        for (int i = 0; i < count; i++) {
            final GeneratedTransaction t = generator.next();
            final String fixedId = String.format("aaaa%08d", i);
            final byte[] bytes = t.json().replace("\"txnId\":\"" + t.txnId() + "\"", "\"txnId\":\"" + fixedId + "\"")
                .getBytes(StandardCharsets.UTF_8);
            final int length = json.parse(new UnsafeBuffer(bytes), 0, bytes.length, scratch, 0);
            if (at + length > data.capacity()) {
                throw new IllegalStateException("workload buffer too small");
            }
            data.putBytes(at, scratch, 0, length);
            offsets[i] = at;
            lengths[i] = length;
            at += (length + 7) & ~7;
            first = i == 0 ? t.tsMs() : first;
            last = t.tsMs();
        }
        return new EncodedWorkload(data, offsets, lengths, last - first + 60_000);
    }

    /**
     * Makes the next message a new transaction (round {@code n / count} of the stream gets its own ids and a later
     * event time) and returns its index. A few stores: cheap enough to sit inside a measured operation.
     */
    int next() {
        final int i = (int) (next % count);
        final long round = next / count;
        next++;
        long r = round;
        for (int c = ROUND_LETTERS - 1; c >= 0; c--) {
            data.putByte(idOffsets[i] + c, (byte) ('a' + r % 26));
            r /= 26;
        }
        data.putLong(offsets[i] + TransactionFlyweight.TS_OFFSET, baseTs[i] + round * spanMs, MessageHeader.ORDER);
        return i;
    }
}

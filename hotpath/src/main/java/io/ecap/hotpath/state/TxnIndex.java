package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import net.openhft.chronicle.core.io.Closeable;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;

/**
 * Transaction id to the journal index of the entry that scored it: what makes scoring idempotent and lets anyone find
 * a decision by id. Written by the single writer; readable from any thread or process.
 */
public final class TxnIndex implements AutoCloseable {
    private final ChronicleMap<CharSequence, IndexValue> map;
    private final IndexValue reference = Values.newNativeReference(IndexValue.class);
    private final ThreadLocal<IndexValue> readValues = ThreadLocal.withInitial(
        () -> Values.newHeapInstance(IndexValue.class));

    private TxnIndex(final ChronicleMap<CharSequence, IndexValue> map) {
        this.map = map;
    }

    public static TxnIndex open(final File dir, final long entries, final boolean recover) throws IOException {
        final File file = new File(dir, "txn.cm3");
        final var builder = ChronicleMap.of(CharSequence.class, IndexValue.class)
            .name("txn")
            .entries(entries)
            .averageKeySize(20)
            .maxBloatFactor(4.0)
            .checksumEntries(false);
        return new TxnIndex(recover && file.exists()
            ? builder.recoverPersistedTo(file, true) : builder.createPersistedTo(file));
    }

    /** The journal index that scored this transaction, or 0 if it was never scored. */
    public long lookup(final CharSequence txnId) {
        final IndexValue value = map.getUsing(txnId, readValues.get());
        return value == null ? 0 : value.getIndex();
    }

    /** Records where a transaction was scored (writer thread only). */
    public void put(final CharSequence txnId, final long journalIndex) {
        try (Closeable ignored = map.acquireContext(txnId, reference)) {
            reference.setIndex(journalIndex);
        }
    }

    public long size() {
        return map.longSize();
    }

    /** Visits every transaction id and its journal index. Off the hot path. */
    public void forEach(final java.util.function.ObjLongConsumer<String> visitor) {
        map.forEach((k, v) -> visitor.accept(k.toString(), v.getIndex()));
    }

    @Override
    public void close() {
        map.close();
    }
}

package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

/**
 * Transaction id to the journal index of the entry that scored it (and of its first FRAUD label): what makes scoring
 * and labels idempotent and lets anyone find a decision by id. Written by the single writer; readable from any thread
 * or process.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class TxnIndex implements AutoCloseable {
    private static final int SCORED = 0;
    private static final int FRAUD_LABEL = 8;

    private final ChronicleMap<CharSequence, ByteableValue.Txn> map;
    private final BytesStore emptyValue = BytesStore.nativeStoreFrom(new byte[ByteableValue.Txn.LENGTH]);

    private TxnIndex(final ChronicleMap<CharSequence, ByteableValue.Txn> map) {
        this.map = map;
    }

    public static TxnIndex open(final File dir, final long entries, final boolean recover) throws IOException {
        final File file = new File(dir, "txn.cm3");
        final var builder = ChronicleMap.of(CharSequence.class, ByteableValue.Txn.class)
            .name("txn")
            .entries(entries)
            .averageKeySize(20)
            .constantValueSizeBySample(new ByteableValue.Txn())
            .maxBloatFactor(4.0)
            .checksumEntries(false);
        return new TxnIndex(recover && file.exists()
            ? builder.recoverPersistedTo(file, true) : builder.createPersistedTo(file));
    }

    /** The journal index that scored this transaction, or 0 if it was never scored. */
    public long lookup(final CharSequence txnId) {
        return get(txnId, SCORED);
    }

    /** The journal index of the first FRAUD label applied to the transaction, or 0. */
    public long fraudLabelIndex(final CharSequence txnId) {
        return get(txnId, FRAUD_LABEL);
    }

    /** Records where a transaction was scored (writer thread only). */
    public void put(final CharSequence txnId, final long journalIndex) {
        set(txnId, SCORED, journalIndex);
    }

    /** Records the first FRAUD label of a scored transaction (writer thread only). */
    public void fraudLabel(final CharSequence txnId, final long journalIndex) {
        set(txnId, FRAUD_LABEL, journalIndex);
    }

    private long get(final CharSequence txnId, final int field) {
        try (ExternalMapQueryContext<CharSequence, ByteableValue.Txn, ?> c = map.queryContext(txnId)) {
            c.readLock().lock();
            final MapEntry<CharSequence, ByteableValue.Txn> entry = c.entry();
            if (entry == null) {
                return 0;
            }
            final Data<ByteableValue.Txn> value = entry.value();
            return value.bytes().readLong(value.offset() + field);
        }
    }

    private void set(final CharSequence txnId, final int field, final long journalIndex) {
        try (ExternalMapQueryContext<CharSequence, ByteableValue.Txn, ?> c = map.queryContext(txnId)) {
            c.writeLock().lock();
            MapEntry<CharSequence, ByteableValue.Txn> entry = c.entry();
            if (entry == null) {
                c.insert(c.absentEntry(), c.wrapValueBytesAsData(emptyValue, 0, ByteableValue.Txn.LENGTH));
                entry = c.entry();
            }
            final Data<ByteableValue.Txn> value = entry.value();
            ((BytesStore) value.bytes()).writeLong(value.offset() + field, journalIndex);
        }
    }

    public long size() {
        return map.longSize();
    }

    /** Visits every transaction id with its scored and first-fraud-label journal indexes. Off the hot path. */
    public void forEachEntry(final EntryVisitor visitor) {
        for (final CharSequence key : map.keySet()) {
            final String id = key.toString();
            visitor.visit(id, lookup(id), fraudLabelIndex(id));
        }
    }

    /** What {@link #forEachEntry} visits. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(String txnId, long scoredIndex, long fraudLabelIndex);
    }

    @Override
    public void close() {
        map.close();
    }
}

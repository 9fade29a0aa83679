package io.ecap.hotpath.lists;

import io.ecap.model.field.IdHash;
import io.ecap.model.Outcome;
import io.ecap.model.binary.TransactionFlyweight;
import java.nio.charset.StandardCharsets;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The block and allow lists as the engine holds them: per list and kind, a set of the 64-bit {@link IdHash} hashes
 * of the values (the values themselves live in the shared store and in the journal). Owned by the writer thread;
 * {@link #check} allocates nothing. BIN entries are ranges ({@link BinRanges}). A transaction whose card, customer,
 * device, ip, email or BIN is blocked is declined; one with none blocked and one allowed is approved; kinds are looked
 * at in {@link ListKind} order, the first match names the reason. Two values with the same 64-bit hash would share an
 * entry (about one chance in 10^19 per pair).
 *
 * <p>Changes apply in stream order, each once: a change whose stream id is not after the last one applied is
 * ignored, so that a change read twice from the stream (after a restart) changes nothing.
 */
public final class EntityLists {
    /** {@link #check} result: no list names the transaction. */
    public static final int NONE = -1;

    private final LongHashSet[] sets = new LongHashSet[ListType.ALL.length * ListKind.ALL.length];
    private final BinRanges[] bins = new BinRanges[ListType.ALL.length];
    private final String[] reasonCodes = new String[sets.length];
    private final String[] reasonDetails = new String[sets.length];
    private final UnsafeBuffer valueBuffer = new UnsafeBuffer(new byte[0]);
    private int entries;
    private long lastStreamMs;
    private long lastStreamSeq;
    private volatile String lastStreamId = "0-0";

    public EntityLists() {
        for (final ListType list : ListType.ALL) {
            for (final ListKind kind : ListKind.ALL) {
                final int slot = slot(list, kind);
                sets[slot] = new LongHashSet();
                reasonCodes[slot] = list.reasonCode(kind);
                reasonDetails[slot] = kind.label() + " on the " + list.label() + " list";
            }
            bins[list.ordinal()] = new BinRanges();
        }
    }

    private static int slot(final ListType list, final ListKind kind) {
        return list.ordinal() * ListKind.ALL.length + kind.ordinal();
    }

    /** True if the change comes after the last one applied (it has not been applied yet). */
    public boolean isNew(final ListChange change) {
        return ListChange.after(change.streamMs(), change.streamSeq(), lastStreamMs, lastStreamSeq);
    }

    /** Applies a change (an add of a present value or a removal of an absent one changes no set). */
    public void apply(final ListChange change) {
        final byte[] bytes = change.value().getBytes(StandardCharsets.US_ASCII);
        valueBuffer.wrap(bytes);
        final long hash = IdHash.hash(valueBuffer, 0, bytes.length);
        final boolean changed;
        if (change.kind() == ListKind.BIN) {
            final BinRanges ranges = bins[change.list().ordinal()];
            changed = change.add() ? ranges.add(hash, BinRanges.range(change.value(), "value"))
                : ranges.remove(hash);
        } else {
            final LongHashSet set = sets[slot(change.list(), change.kind())];
            changed = change.add() ? set.add(hash) : set.remove(hash);
        }
        if (changed) {
            entries += change.add() ? 1 : -1;
        }
        lastStreamMs = change.streamMs();
        lastStreamSeq = change.streamSeq();
        lastStreamId = change.streamId();
    }

    /**
     * Looks the transaction's fields up; returns {@link #NONE} or the match, for {@link #outcome}, {@link #reasonCode}
     * and {@link #reasonDetail}.
     */
    public int check(final TransactionFlyweight txn) {
        if (entries == 0) {
            return NONE;
        }
        int allowed = NONE;
        for (final ListKind kind : ListKind.ALL) {
            final int block = slot(ListType.BLOCK, kind);
            final int allow = slot(ListType.ALLOW, kind);
            final int length = txn.stringLength(kind.transactionField());
            if (length == 0 || isEmpty(kind, ListType.BLOCK) && (allowed != NONE || isEmpty(kind, ListType.ALLOW))) {
                continue;
            }
            if (kind == ListKind.BIN) {
                final long range = BinRanges.range(txn.buffer(), txn.stringOffset(kind.transactionField()), length);
                if (bins[ListType.BLOCK.ordinal()].covers(range)) {
                    return block;
                }
                if (allowed == NONE && bins[ListType.ALLOW.ordinal()].covers(range)) {
                    allowed = allow;
                }
                continue;
            }
            final long hash = IdHash.hash(txn.buffer(), txn.stringOffset(kind.transactionField()), length);
            if (sets[block].contains(hash)) {
                return block;
            }
            if (allowed == NONE && sets[allow].contains(hash)) {
                allowed = allow;
            }
        }
        return allowed;
    }

    private boolean isEmpty(final ListKind kind, final ListType list) {
        return kind == ListKind.BIN ? bins[list.ordinal()].isEmpty() : sets[slot(list, kind)].isEmpty();
    }

    public static Outcome outcome(final int match) {
        return match < ListKind.ALL.length ? Outcome.DECLINE : Outcome.APPROVE;
    }

    /** BLOCKLIST_CARD, ALLOWLIST_EMAIL, ... */
    public String reasonCode(final int match) {
        return reasonCodes[match];
    }

    public String reasonDetail(final int match) {
        return reasonDetails[match];
    }

    /** Values on all lists. */
    public int entries() {
        return entries;
    }

    /** The stream id of the last change applied ({@code 0-0}: none). Any thread. */
    public String lastStreamId() {
        return lastStreamId;
    }
}

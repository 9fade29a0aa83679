package io.ecap.hotpath.journal;

import io.ecap.hotpath.state.DistinctSketch;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.field.IdHash;
import io.ecap.model.field.Pseudonym;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Copies a journal into a new folder with every id of an erased entity, in the entries journaled before its erasure,
 * replaced by its {@link Pseudonym}: the customer, card, device, IP address and merchant of scored payments (and the
 * e-mail's hash of an erased customer's payments, which names the customer too), and the customer of user events and
 * customer profiles. Each entry keeps its journal index (appended in order, on a clock set
 * to its own daily file), so the positions of every reader stay valid; entries after an erasure of the same id (the
 * customer came back) are a new entity and keep the id. A replay of the copy builds the same state as the original,
 * byte for byte, since the engine hashes a pseudonym to the hashes it carries.
 *
 * <p>What it does not rewrite: block and allow list changes (a list entry is removed with the list API, not by an
 * erasure) and free text the journal does not have (an erasure's reason cannot name its id).
 */
public final class JournalRedaction {
    /** What a rewrite did: entries copied, entries changed, ids replaced, erasures taken. */
    public record Result(long entries, long changed, long replaced, int erasures) {
    }

    private static final LargeRollCycles CYCLES = LargeRollCycles.LARGE_DAILY;
    private static final int SCORED_TRANSACTION = ScoredEntryFlyweight.TRANSACTION_OFFSET;
    private static final int SCORED_SHADOW_AT = 12;

    /** An erased entity: its kind and the hash of its id. */
    private record Erased(int kind, long idHash) {
    }

    /** Each erased entity, to the index of its last erasure. */
    private final Map<Erased, Long> erasedBefore = new HashMap<>();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final UserEventFlyweight userEvent = new UserEventFlyweight();
    private final CustomerProfileFlyweight profile = new CustomerProfileFlyweight();
    private final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(4096);
    private final int[] fields = new int[TransactionFlyweight.BIN + 1];
    private int fieldCount;
    private long replaced;

    private JournalRedaction() {
    }

    /**
     * Rewrites the journal in {@code source} into {@code target}, which must not exist. Throws, leaving {@code target}
     * to be deleted, if an entry is damaged (its checksum fails: it cannot be copied as it was) or does not keep its
     * index.
     */
    public static Result rewrite(final File source, final File target) {
        if (target.exists()) {
            throw new IllegalArgumentException(target + " exists: a redaction writes a new folder");
        }
        final JournalRedaction redaction = new JournalRedaction();
        final int erasures = redaction.gatherErasures(source);
        long entries = 0;
        long changed = 0;
        try (Journal in = Journal.openReadOnly(source);
            JournalReader reader = in.reader().hoppingGaps().includingLost();
            Journal copy = Journal.openCopy(target)) {
            while (reader.next()) {
                if (reader.damaged() > 0) {
                    throw new IllegalStateException("journal entry " + Long.toHexString(reader.lastDamagedIndex())
                        + " is damaged (its checksum fails): a journal with a damaged entry is not rewritten");
                }
                final long index = reader.index();
                copy.clockAt(CYCLES.toCycle(index) * (long) CYCLES.lengthInMillis());
                final int length = reader.isLost() ? -1
                    : redaction.redact(reader.type(), reader.buffer(), reader.length(), index);
                final long written = reader.isLost() ? copy.appendLost()
                    : length < 0 ? copy.append(reader.buffer(), 0, reader.length())
                    : copy.append(redaction.out, 0, length);
                if (written != index) {
                    throw new IllegalStateException("journal entry " + Long.toHexString(index) + " was copied as "
                        + Long.toHexString(written) + ": the copy would not keep the journal's indices");
                }
                entries++;
                changed += length < 0 ? 0 : 1;
            }
            if (reader.damaged() > 0) {
                throw new IllegalStateException("journal entry " + Long.toHexString(reader.lastDamagedIndex())
                    + " is damaged (its checksum fails): a journal with a damaged entry is not rewritten");
            }
        }
        return new Result(entries, changed, redaction.replaced, erasures);
    }

    /** Reads the erasure entries; returns how many there are. */
    private int gatherErasures(final File source) {
        int erasures = 0;
        try (Journal in = Journal.openReadOnly(source); JournalReader reader = in.reader().hoppingGaps()) {
            while (reader.nextOfType(EntryType.ERASURE)) {
                final Erasure erasure = ErasureEntryFlyweight.decode(reader.buffer(), reader.length());
                erasedBefore.merge(new Erased(erasure.kind().ordinal(), erasure.idHash()), reader.index(), Math::max);
                erasures++;
            }
        }
        return erasures;
    }

    /** The entry with its erased ids replaced, in {@link #out}: its length, or -1 if it names no erased id. */
    private int redact(final int type, final MutableDirectBuffer entry, final int length, final long index) {
        if (erasedBefore.isEmpty()) {
            return -1;
        }
        if (type == EntryType.SCORED) {
            final int at = SCORED_TRANSACTION;
            final int txnLength = txn.wrapForDecode(entry, at, length - at);
            fieldCount = 0;
            boolean customerErased = false;
            for (final EntityKind kind : EntityKind.ALL) {
                final int field = kind.keyField();
                if (erased(kind, entry, txn.stringOffset(field), txn.stringLength(field), index)) {
                    fields[fieldCount++] = field;
                    customerErased |= kind == EntityKind.CUSTOMER;
                }
            }
            final int email = TransactionFlyweight.EMAIL_HASH;
            if (customerErased && txn.stringLength(email) > 0
                && !Pseudonym.is(entry, txn.stringOffset(email), txn.stringLength(email))) {
                fields[fieldCount++] = email; // the e-mail's hash is the customer's too
            }
            if (fieldCount == 0) {
                return -1;
            }
            java.util.Arrays.sort(fields, 0, fieldCount); // in the order they are in the message
            out.putBytes(0, entry, 0, at);
            final int newTxnLength = rewrite(entry, at, txnLength, out, at, txn::stringOffset, txn::stringLength);
            final int rest = length - at - txnLength;
            out.putBytes(at + newTxnLength, entry, at + txnLength, rest);
            final int version = entry.getShort(MessageHeader.VERSION_OFFSET, MessageHeader.ORDER) & 0xFFFF;
            if (version == ScoredEntryFlyweight.VERSION_WITH_SHADOW) {
                final int shadowAt = entry.getInt(SCORED_SHADOW_AT, MessageHeader.ORDER);
                out.putInt(SCORED_SHADOW_AT, shadowAt + newTxnLength - txnLength, MessageHeader.ORDER);
            }
            out.putInt(MessageHeader.LENGTH_OFFSET, at + newTxnLength + rest, MessageHeader.ORDER);
            return at + newTxnLength + rest;
        }
        if (type == EntryType.USER_EVENT) {
            userEvent.wrapForDecode(entry, 0, length);
            final int field = UserEventFlyweight.CUSTOMER_ID;
            return rewriteCustomer(entry, length, index, field, userEvent.stringOffset(field),
                userEvent.stringLength(field), userEvent::stringOffset, userEvent::stringLength);
        }
        if (type == EntryType.CUSTOMER_PROFILE) {
            profile.wrapForDecode(entry, 0, length);
            final int field = CustomerProfileFlyweight.CUSTOMER_ID;
            return rewriteCustomer(entry, length, index, field, profile.stringOffset(field),
                profile.stringLength(field), profile::stringOffset, profile::stringLength);
        }
        return -1;
    }

    private int rewriteCustomer(final DirectBuffer entry, final int length, final long index, final int field,
        final int idOffset, final int idLength, final FieldPlace offsets, final FieldPlace lengths) {
        if (!erased(EntityKind.CUSTOMER, entry, idOffset, idLength, index)) {
            return -1;
        }
        fields[0] = field;
        fieldCount = 1;
        return rewrite(entry, 0, length, out, 0, offsets, lengths);
    }

    /** Whether the id at these bytes is of an entity erased after {@code index}. */
    private boolean erased(final EntityKind kind, final DirectBuffer entry, final int offset, final int length,
        final long index) {
        if (length == 0 || Pseudonym.is(entry, offset, length)) {
            return false;
        }
        final Long erasure = erasedBefore.get(new Erased(kind.ordinal(), IdHash.hash(entry, offset, length)));
        return erasure != null && erasure > index;
    }

    /** Where a message's variable field starts, or how long it is. */
    @FunctionalInterface
    private interface FieldPlace {
        int of(int field);
    }

    /**
     * Copies the message at {@code from} ({@code length} bytes) to {@code to}, each field of {@link #fields} replaced
     * by the pseudonym of its id, and sets the copy's length in its header. Variable fields are a length byte and
     * their bytes, in order, to the message's end.
     */
    private int rewrite(final DirectBuffer message, final int from, final int length, final MutableDirectBuffer target,
        final int to, final FieldPlace offsets, final FieldPlace lengths) {
        int read = from;
        int written = to;
        for (int i = 0; i < fieldCount; i++) {
            final int field = fields[i];
            final int idOffset = offsets.of(field);
            final int idLength = lengths.of(field);
            final int lengthByte = idOffset - 1;
            target.putBytes(written, message, read, lengthByte - read);
            written += lengthByte - read;
            target.putByte(written++, (byte) Pseudonym.LENGTH);
            written += Pseudonym.write(target, written, IdHash.hash(message, idOffset, idLength),
                DistinctSketch.hash(message, idOffset, idLength));
            read = idOffset + idLength;
            replaced++;
        }
        target.putBytes(written, message, read, from + length - read);
        written += from + length - read;
        target.putInt(to + MessageHeader.LENGTH_OFFSET, written - to, MessageHeader.ORDER);
        return written - to;
    }
}

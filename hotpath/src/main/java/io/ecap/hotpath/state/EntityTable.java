package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * One entity kind's state: fixed-size records in a {@link RecordArena} and an {@link EntityIndex} from id to record.
 * Written by the single writer thread only; other threads and processes copy records out with {@link #read}.
 *
 * <p><b>Never full.</b> Records are numbered densely, so the arena grows at its end (a sparse file, mapped chunk by
 * chunk) and a record freed by retention is reused first. The index doubles when it is half full: the new generation
 * starts empty and {@link #maintain} copies a few slots of the previous one into it between changes, while lookups
 * look in both, so growing never stops the writer for longer than a few slots' work.
 *
 * <p><b>Retention.</b> An entity whose newest event is older than the retention (in whole UTC days of event time) is
 * removed by a sweep: every {@link #SWEEP_EVERY} lookups of a kind, the next {@link #SWEEP_EVERY} records' activity
 * days are read (one cache line) and stale ones evicted. Each pass of the sweep covers the records taken when it
 * began, from the first; one record is read per lookup, at least as fast as lookups can add records. The schedule
 * is counted in the persisted header and the cut off comes from the event's own time, so a replay of the journal
 * evicts exactly the same entities at the same points.
 *
 * <p><b>All or nothing.</b> Every byte a change writes is saved in the {@link UndoLog} first (through {@code undo}),
 * including the header, index slots and records taken or freed; an entity created by a change that is undone is
 * gone without a trace. Growing and copying between index generations happen between changes and are idempotent.
 * Records are laid out as {@link EntityRecord} says.
 *
 * <pre>
 * header of &lt;kind&gt;.records (first 128 bytes saved by a change):
 *   0    i64  magic "ECAPRECS"     8   i32  layout version     12  i32  record length
 *   16   i64  records ever taken (the next fresh record)
 *   24   i64  free record list head (record + 1; 0: empty)
 *   32   i64  live entities
 *   40   i64  index generation &lt;&lt; 1, | 1 while the previous generation is being copied
 *   48   i64  slots of the previous generation copied so far
 *   56   i64  next record the retention sweep reads
 *   64   i64  lookups that changed this kind (the sweep's schedule)
 *   72   i64  entities evicted by retention, in all
 *   80   i64  where the sweep's current pass ends (the records taken when it began; later ones wait for the next)
 * </pre>
 */
public final class EntityTable implements AutoCloseable {
    public static final int MAX_KEY = EntityRecord.MAX_KEY;
    /** Lookups between two sweeps, and records read by one sweep (one cache line of activity days). */
    public static final int SWEEP_EVERY = 16;
    /** Index slots {@link #maintain} copies per call while the index grows. */
    static final int COPY_PER_STEP = 64;

    private static final long MAGIC = 0x5343455250414345L;
    private static final int VERSION = 1;
    private static final int H_VERSION = 8;
    private static final int H_RECORD = 12;
    private static final int H_HIGH_WATER = 16;
    private static final int H_FREE = 24;
    private static final int H_LIVE = 32;
    private static final int H_INDEX = 40;
    private static final int H_COPIED = 48;
    private static final int H_SWEEP = 56;
    private static final int H_LOCKS = 64;
    private static final int H_EVICTED = 72;
    private static final int H_SWEEP_END = 80;
    private static final int H_SAVED = 128;
    private static final long MS_PER_DAY = 86_400_000L;

    /** Undo regions of one kind: its records file, its current and its previous index generation. */
    public static final int REGION_RECORDS = 0;
    public static final int REGION_INDEX = 1;
    public static final int REGION_PREVIOUS_INDEX = 2;

    private final EntityKind kind;
    private final File dir;
    private final boolean readOnly;
    private final RecordArena arena;
    private final long header;
    private final int regionBase;
    private volatile EntityIndex index;
    private volatile EntityIndex previous;
    /** Generations copied and dropped: their files are deleted, their mappings kept until close for readers. */
    private final java.util.List<EntityIndex> retired = new java.util.ArrayList<>();
    private long headerSavedScope;
    private PageToucher toucher = PageToucher.NONE;
    private final EntityState scratch = new EntityState();

    private EntityTable(final EntityKind kind, final File dir, final boolean readOnly, final RecordArena arena,
        final int regionBase) {
        this.kind = kind;
        this.dir = dir;
        this.readOnly = readOnly;
        this.arena = arena;
        this.header = arena.headerAddress();
        this.regionBase = regionBase;
    }

    /**
     * Opens (or creates) a kind's state in {@code dir}. A new index starts with room for {@code expected} entities
     * before its first doubling.
     *
     * @param regionBase the first of the three undo regions of this kind (see {@link #REGION_RECORDS})
     */
    public static EntityTable open(final EntityKind kind, final File dir, final long expected, final int regionBase)
        throws IOException {
        final RecordArena arena = RecordArena.open(new File(dir, kind.prefix() + ".records"), false);
        final EntityTable table = new EntityTable(kind, dir, false, arena, regionBase);
        try {
            table.openOrCreate(expected);
        } catch (final IOException | RuntimeException e) {
            table.close();
            throw e;
        }
        return table;
    }

    /** Opens a kind's state to read, beside a running engine or without one (tools). */
    public static EntityTable openReadOnly(final EntityKind kind, final File dir) throws IOException {
        final File file = new File(dir, kind.prefix() + ".records");
        if (!file.exists()) {
            throw new IOException("no " + kind.prefix() + " state in " + dir);
        }
        final EntityTable table = new EntityTable(kind, dir, true, RecordArena.open(file, true), 0);
        try {
            table.openIndexes();
        } catch (final IOException | RuntimeException e) {
            table.close();
            throw e;
        }
        return table;
    }

    private void openOrCreate(final long expected) throws IOException {
        if (UnsafeApi.getLong(null, header) == 0) {
            final long slots = Math.min(EntityIndex.MAX_SLOTS,
                Math.max(1 << 10, Long.highestOneBit(Math.max(1, expected) * 2 - 1) << 1));
            index = EntityIndex.create(dir, kind, 1, slots);
            UnsafeApi.putInt(null, header + H_VERSION, VERSION);
            UnsafeApi.putInt(null, header + H_RECORD, RecordArena.RECORD);
            UnsafeApi.putLong(null, header + H_INDEX, 1L << 1);
            UnsafeApi.putLongRelease(null, header, MAGIC);
        } else {
            checkHeader();
            openIndexes();
        }
        EntityIndex.deleteStray(dir, kind, index, previous);
        arena.mapThrough(highWater());
    }

    private void checkHeader() throws IOException {
        if (UnsafeApi.getLong(null, header) != MAGIC || UnsafeApi.getInt(null, header + H_VERSION) != VERSION
            || UnsafeApi.getInt(null, header + H_RECORD) != RecordArena.RECORD) {
            throw new IOException(arena.file() + " is not an ECAP entity state file of layout " + VERSION);
        }
    }

    private void openIndexes() throws IOException {
        checkHeader();
        final long word = UnsafeApi.getLongVolatile(null, header + H_INDEX);
        final long generation = word >>> 1;
        if (index != null && index.generation() == generation && (word & 1) == (previous == null ? 0 : 1)) {
            return;
        }
        closeIndexes();
        index = EntityIndex.open(dir, kind, generation, readOnly);
        previous = (word & 1) != 0 ? EntityIndex.open(dir, kind, generation - 1, readOnly) : null;
    }

    public EntityKind kind() {
        return kind;
    }

    // ---------------------------------------------------------------- the writer: finding and changing entities

    /** The record of the entity with this id, or -1 if there is none. */
    public long find(final DirectBuffer id, final int offset, final int length, final long hash) {
        final long found = probe(index, id, offset, length, hash);
        return found >= 0 || previous == null ? found : probe(previous, id, offset, length, hash);
    }

    private long probe(final EntityIndex in, final DirectBuffer id, final int offset, final int length,
        final long hash) {
        long slot = in.home(hash);
        while (true) {
            final long h = in.hashAt(slot);
            if (h == 0) {
                return -1;
            }
            if (h == hash) {
                final long value = in.valueAt(slot);
                if (value > 0 && keyEquals(value - 1, id, offset, length)) {
                    return value - 1;
                }
            }
            slot = in.next(slot);
        }
    }

    /**
     * Loads the home index slot of a hash. The writer calls it for every entity of a transaction before it looks any
     * of them up, so that the cache misses of the five lookups overlap instead of following each other.
     *
     * @return the slot's hash (to keep the load from being optimised away).
     */
    public long touchSlot(final long hash) {
        final EntityIndex in = index;
        return in.hashAt(in.home(hash));
    }

    /**
     * Once the slot is in cache: if the hash's chain names a record, loads every cache line of that record, the
     * second step of overlapping the lookups' misses. Returns a value that depends on the loads. It only reads, and
     * would be safe from another thread: index generations stay mapped until close, a record beyond the mapped
     * chunks is skipped.
     */
    public long touchRecord(final long hash) {
        final EntityIndex in = index;
        long slot = in.home(hash);
        for (int i = 0; i < 4; i++) {
            final long h = in.hashAt(slot);
            if (h == 0) {
                return 0;
            }
            if (h == hash) {
                final long record = in.valueAt(slot) - 1;
                return record >= 0 && record >>> RecordArena.CHUNK_SHIFT < arena.mappedChunks()
                    ? RecordArena.touchLines(recordAddress(record)) : 0;
            }
            slot = in.next(slot);
        }
        return 0;
    }

    boolean keyEquals(final long record, final DirectBuffer id, final int offset, final int length) {
        return EntityRecord.keyEquals(recordAddress(record), id, offset, length);
    }

    /**
     * Adds an entity that {@link #find} did not find: takes a free record (or a never used one) and an index slot,
     * writes the id and an empty state. Everything it writes is saved in {@code undo} first.
     *
     * @return its record.
     */
    public long insert(final DirectBuffer id, final int offset, final int length, final long hash,
        final UndoLog undo) {
        if (length > MAX_KEY) {
            throw new IllegalArgumentException(kind.prefix() + " id longer than " + MAX_KEY + " bytes");
        }
        saveHeader(undo);
        final long free = UnsafeApi.getLong(null, header + H_FREE);
        final long record;
        if (free != 0) {
            record = free - 1;
            undo.save(regionBase + REGION_RECORDS, RecordArena.recordOffset(record), recordAddress(record),
                RecordArena.RECORD);
            final long nextFree = UnsafeApi.getLong(null, recordAddress(record) + EntityRecord.NEXT_FREE);
            UnsafeApi.putLong(null, header + H_FREE, nextFree);
        } else {
            record = UnsafeApi.getLong(null, header + H_HIGH_WATER);
            ensureMapped(record + 1);
            undo.saveZeros(regionBase + REGION_RECORDS, RecordArena.recordOffset(record), RecordArena.RECORD);
            UnsafeApi.putLong(null, header + H_HIGH_WATER, record + 1);
        }
        EntityRecord.init(recordAddress(record), free == 0, hash, id, offset, length, scratch);
        final long slot = index.emptySlotFor(hash);
        undo.save(regionBase + REGION_INDEX, EntityIndex.slotOffset(slot), index.slotAddress(slot), EntityIndex.SLOT);
        index.put(slot, hash, record + 1);
        UnsafeApi.putLong(null, header + H_LIVE, UnsafeApi.getLong(null, header + H_LIVE) + 1);
        return record;
    }

    /** Maps the chunks of records {@code [0, records)} and one more, extending the file when needed. */
    private void ensureMapped(final long records) {
        if ((records + RecordArena.CHUNK_RECORDS - 1 >>> RecordArena.CHUNK_SHIFT) + 1 > arena.mappedChunks()) {
            try {
                arena.mapThrough(records);
            } catch (final IOException e) {
                throw new UncheckedIOException(kind.prefix() + ": cannot extend " + arena.file(), e);
            }
        }
    }

    /**
     * Saves a record in {@code undo} before the writer changes it.
     *
     * @return the address of the saved copy of its state: the state before the change.
     */
    public long save(final long record, final UndoLog undo) {
        return undo.save(regionBase + REGION_RECORDS, RecordArena.recordOffset(record), recordAddress(record),
            RecordArena.RECORD) + EntityRecord.STATE;
    }

    /** Marks a record as being changed (readers retry); after {@link #save} or {@link #insert}. */
    public void beginChange(final long record) {
        EntityRecord.beginChange(recordAddress(record));
    }

    /**
     * Ends a change of a record: notes the day of its event for retention (the day only moves forward), and lets
     * readers copy it again.
     */
    public void endChange(final long record, final long eventMs, final UndoLog undo) {
        final long at = recordAddress(record);
        final int day = (int) Math.max(1, Math.floorDiv(eventMs, MS_PER_DAY));
        if (day > UnsafeApi.getInt(null, at + EntityRecord.ACTIVE_DAY)) {
            UnsafeApi.putInt(null, at + EntityRecord.ACTIVE_DAY, day);
            final long activity = arena.activityAddress(record);
            undo.save(regionBase + REGION_RECORDS, RecordArena.activityOffset(record), activity, 4);
            UnsafeApi.putInt(null, activity, day);
        }
        EntityRecord.endChange(at);
    }

    /** Address of a record's state, to change in place between {@link #beginChange} and {@link #endChange}. */
    public long stateAddress(final long record) {
        return recordAddress(record) + EntityRecord.STATE;
    }

    long recordAddress(final long record) {
        return arena.recordAddress(record);
    }

    private void saveHeader(final UndoLog undo) {
        if (headerSavedScope != undo.scope()) {
            undo.save(regionBase + REGION_RECORDS, 0, header, H_SAVED);
            headerSavedScope = undo.scope();
        }
    }

    // ---------------------------------------------------------------- retention

    /**
     * Counts a lookup of this kind and, every {@link #SWEEP_EVERY} of them, evicts the stale entities among the next
     * {@link #SWEEP_EVERY} records: those whose newest event is more than {@code retentionDays} whole days before the
     * day of {@code eventMs}. Call before looking the event's entity up. A retention of 0 keeps everything.
     *
     * @return entities evicted.
     */
    public int countLookupAndSweep(final long eventMs, final int retentionDays, final UndoLog undo) {
        saveHeader(undo);
        final long locks = UnsafeApi.getLong(null, header + H_LOCKS) + 1;
        UnsafeApi.putLong(null, header + H_LOCKS, locks);
        if (retentionDays <= 0 || locks % SWEEP_EVERY != 0) {
            return 0;
        }
        final long highWater = highWater();
        if (highWater == 0) {
            return 0;
        }
        final long cutoff = Math.floorDiv(eventMs, MS_PER_DAY) - retentionDays;
        long cursor = UnsafeApi.getLong(null, header + H_SWEEP);
        long passEnd = UnsafeApi.getLong(null, header + H_SWEEP_END);
        if (cursor >= passEnd) {
            // a new pass from the first record over those taken so far: the oldest are never left behind by a
            // cursor that would otherwise chase the newest records as they are added
            cursor = 0;
            passEnd = highWater;
            UnsafeApi.putLong(null, header + H_SWEEP_END, passEnd);
        }
        final long end = Math.min(passEnd, cursor + SWEEP_EVERY);
        int evicted = 0;
        for (long r = cursor; r < end; r++) {
            final int day = UnsafeApi.getInt(null, arena.activityAddress(r));
            if (day != 0 && day < cutoff) {
                evict(r, undo, false);
                evicted++;
            }
        }
        UnsafeApi.putLong(null, header + H_SWEEP, end);
        return evicted;
    }

    /**
     * Takes a record out of the index and puts it on the free list; with {@code wipe} (an erasure) its id and state
     * are zeroed too, and it does not count as evicted. Everything it changes is saved in {@code undo} first.
     */
    private void evict(final long record, final UndoLog undo, final boolean wipe) {
        final long at = recordAddress(record);
        final long hash = EntityRecord.hash(at);
        index.remove(hash, record + 1, undo, regionBase + REGION_INDEX);
        if (previous != null) {
            previous.tombstone(hash, record + 1, undo, regionBase + REGION_PREVIOUS_INDEX);
        }
        CrashPoints.reached("evict");
        undo.save(regionBase + REGION_RECORDS, RecordArena.recordOffset(record), at,
            wipe ? RecordArena.RECORD : EntityRecord.STATE);
        if (wipe) {
            EntityRecord.beginChange(at);
            UnsafeApi.setMemory(at + EntityRecord.KEY_LENGTH, RecordArena.RECORD - EntityRecord.KEY_LENGTH, (byte) 0);
        }
        final long activity = arena.activityAddress(record);
        undo.save(regionBase + REGION_RECORDS, RecordArena.activityOffset(record), activity, 4);
        UnsafeApi.putInt(null, activity, 0);
        UnsafeApi.putLong(null, at + EntityRecord.HASH, 0);
        UnsafeApi.putInt(null, at + EntityRecord.ACTIVE_DAY, 0);
        UnsafeApi.putLong(null, at + EntityRecord.NEXT_FREE, UnsafeApi.getLong(null, header + H_FREE));
        UnsafeApi.putLong(null, header + H_FREE, record + 1);
        UnsafeApi.putLong(null, header + H_LIVE, UnsafeApi.getLong(null, header + H_LIVE) - 1);
        if (wipe) {
            EntityRecord.endChange(at);
        } else {
            UnsafeApi.putLong(null, header + H_EVICTED, UnsafeApi.getLong(null, header + H_EVICTED) + 1);
        }
    }

    /**
     * Erases the entities whose id has this hash (two only if two ids share the 64-bit hash), in the index or the
     * previous generation, so that no byte of them stays in the file. Returns how many (0: none).
     */
    public int erase(final long hash, final UndoLog undo) {
        saveHeader(undo);
        int erased = 0;
        long value;
        while ((value = Math.max(index.firstValue(hash), previous == null ? 0 : previous.firstValue(hash))) > 0) {
            evict(value - 1, undo, true);
            erased++;
        }
        return erased;
    }

    // ---------------------------------------------------------------- growth, between changes

    /**
     * Grows the index when it is half full, and copies the next slots of the previous generation while it grows.
     * Called by the writer between changes (never inside one): each step is complete or can be repeated.
     */
    public void maintain() {
        if (previous != null) {
            copyStep();
        } else if (live() > index.slots() / 2 && index.slots() < EntityIndex.MAX_SLOTS) {
            grow();
        }
    }

    private void grow() {
        try {
            final EntityIndex next = EntityIndex.create(dir, kind, index.generation() + 1, index.slots() * 2);
            CrashPoints.reached("grow");
            UnsafeApi.putLong(null, header + H_COPIED, 0);
            UnsafeApi.putLongRelease(null, header + H_INDEX, next.generation() << 1 | 1);
            previous = index;
            index = next;
            toucher.touchOnce(next, next.address(), next.length());
        } catch (final IOException e) {
            throw new UncheckedIOException(kind.prefix() + ": cannot grow the index", e);
        }
    }

    private void copyStep() {
        final long copied = UnsafeApi.getLong(null, header + H_COPIED);
        final long end = Math.min(previous.slots(), copied + COPY_PER_STEP);
        for (long s = copied; s < end; s++) {
            final long h = previous.hashAt(s);
            final long value = previous.valueAt(s);
            if (h != 0 && value > 0) {
                index.putIfAbsent(h, value);
            }
        }
        CrashPoints.reached("copy");
        UnsafeApi.putLongRelease(null, header + H_COPIED, end);
        if (end == previous.slots()) {
            UnsafeApi.putLongRelease(null, header + H_INDEX, index.generation() << 1);
            final EntityIndex done = previous;
            previous = null;
            retired.add(done); // a prefetching thread may still hold it: unmapped at close, not now
            try {
                java.nio.file.Files.deleteIfExists(done.file().toPath());
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Where new index generations go to be faulted in ahead of the writer; the current one goes at once. */
    void pageToucher(final PageToucher pages) {
        this.toucher = pages;
        final EntityIndex current = index;
        pages.touchOnce(current, current.address(), current.length());
    }

    /** True while the index is being copied into a bigger generation. */
    public boolean growing() {
        return previous != null;
    }

    RecordArena arena() {
        return arena;
    }

    // ---------------------------------------------------------------- undo regions

    /** Address of an undo region's offset, when the log is put back at start. */
    public long regionAddress(final int region, final long offset, final int length) {
        final EntityIndex in = switch (region - regionBase) {
            case REGION_RECORDS -> null;
            case REGION_INDEX -> index;
            case REGION_PREVIOUS_INDEX -> previous;
            default -> throw new IllegalArgumentException("region " + region + " is not " + kind.prefix() + "'s");
        };
        if (region - regionBase == REGION_RECORDS) {
            if (offset >= RecordArena.HEADER) {
                ensureMapped(((offset - RecordArena.HEADER) / RecordArena.CHUNK_BYTES + 1) * RecordArena.CHUNK_RECORDS);
            }
            return arena.addressOfOffset(offset);
        }
        if (in == null || offset + length > in.length()) {
            throw new IllegalStateException(kind.prefix() + ": the undo log names an index range that is not open");
        }
        return in.address() + offset;
    }

    // ---------------------------------------------------------------- figures and reading

    /** Entities kept. Any thread. */
    public long live() {
        return UnsafeApi.getLongVolatile(null, header + H_LIVE);
    }

    /** Records ever taken: live ones and free ones waiting for reuse. */
    public long highWater() {
        return UnsafeApi.getLongVolatile(null, header + H_HIGH_WATER);
    }

    /** Entities removed by retention, in all. */
    public long evicted() {
        return UnsafeApi.getLongVolatile(null, header + H_EVICTED);
    }

    /**
     * Slots of the current index generation: it doubles when {@link #live()} passes half of them. The figures below
     * may be read from any thread (monitoring): they read sizes, never the index's memory.
     */
    public long indexSlots() {
        return index.slots();
    }

    /** How far the index is filled towards its next doubling, from 0 to 1. */
    public double fill() {
        return Math.min(1.0, live() / (index.slots() / 2.0));
    }

    /** Bytes of the records file and index files (their logical size; never written blocks take no disk). */
    public long fileBytes() {
        final EntityIndex draining = previous;
        return arena.fileBytes() + index.length() + (draining == null ? 0 : draining.length());
    }

    /**
     * Copies an entity's state into {@code target} (at least {@link EntityLayout#LENGTH} bytes from {@code at}).
     * Safe beside the writer, in this process or another (see {@link EntityReads}). Returns false if the entity is
     * unknown or has no event applied. Off the hot path.
     */
    public boolean read(final CharSequence id, final MutableDirectBuffer target, final int at) {
        return EntityReads.read(this, id, target, at);
    }

    boolean readOnly() {
        return readOnly;
    }

    /** A reader beside a writer: follows index generations and records added since it opened. */
    boolean catchUp() {
        try {
            openIndexes();
            arena.mapFileChunks();
            return true;
        } catch (final IOException e) {
            return false; // a generation was replaced while it was being opened
        }
    }

    /**
     * Visits every entity with at least one event applied: its id and a copy of its state. Off the hot path; call
     * when no writer is running (replay checks, tools).
     */
    public void forEach(final BiConsumer<String, EntityState> visitor) {
        EntityReads.forEach(this, visitor);
    }

    private void closeIndexes() {
        for (final EntityIndex old : retired) {
            old.close();
        }
        retired.clear();
        if (index != null) {
            index.close();
            index = null;
        }
        if (previous != null) {
            previous.close();
            previous = null;
        }
    }

    @Override
    public void close() {
        closeIndexes();
        arena.close();
    }
}

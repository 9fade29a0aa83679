package io.ecap.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {
    @Test
    void theCommitOffsetMovesOnlyOverAFinishedPrefix() {
        final PartitionProgress p = new PartitionProgress();
        p.taken(10);
        p.taken(12); // offsets need not be contiguous (transaction markers, compaction)
        p.taken(15);
        assertEquals(-1, p.commitOffset());
        assertTrue(p.finished(15));
        assertEquals(-1, p.commitOffset(), "15 is done but 10 and 12 are not: a restart must read them again");
        assertTrue(p.finished(10));
        assertEquals(11, p.commitOffset());
        assertTrue(p.hasNewCommit());
        p.committed();
        assertFalse(p.hasNewCommit());
        assertTrue(p.finished(12));
        assertEquals(16, p.commitOffset());
        assertEquals(0, p.pending());
        assertFalse(p.finished(12), "finished twice");
        assertFalse(p.finished(99), "never taken");
        p.commitFailed();
        assertTrue(p.hasNewCommit(), "a failed commit is sent again");
    }

    @Test
    void offsetsMustGrow() {
        final PartitionProgress p = new PartitionProgress();
        p.taken(5);
        assertThrows(IllegalArgumentException.class, () -> p.taken(5));
    }

    /** Whatever order records finish in, the commit offset is one past the longest finished prefix. */
    @Property(tries = 200)
    void commitOffsetIsOnePastTheLongestFinishedPrefix(@ForAll @IntRange(min = 1, max = 500) final int count,
        @ForAll final long seed) {
        final Random random = new Random(seed);
        final PartitionProgress p = new PartitionProgress();
        final List<Long> offsets = new ArrayList<>();
        long offset = random.nextInt(1000);
        for (int i = 0; i < count; i++) {
            offsets.add(offset);
            p.taken(offset);
            offset += 1 + random.nextInt(3);
        }
        final List<Long> order = new ArrayList<>(offsets);
        Collections.shuffle(order, random);
        final TreeSet<Long> unfinished = new TreeSet<>(offsets);
        for (final long o : order) {
            assertTrue(p.finished(o));
            unfinished.remove(o);
            final long firstUnfinished = unfinished.isEmpty() ? offset : unfinished.first();
            final Long lastDone = offsets.stream().filter(x -> x < firstUnfinished).reduce((a, b) -> b).orElse(null);
            assertEquals(lastDone == null ? -1 : lastDone + 1, p.commitOffset());
            assertEquals(unfinished.isEmpty() ? 0 : offsets.size() - offsets.indexOf(unfinished.first()),
                p.pending());
        }
    }
}

package io.ecap.model.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ShardTest {
    @Test
    void parsesIndexOfCount() {
        assertEquals(new Shard(1, 4), Shard.parse("1/4"));
        assertEquals(new Shard(0, 2), Shard.parse(" 0/2 "));
        assertEquals(Shard.SINGLE, Shard.parse(""));
        assertEquals(Shard.SINGLE, Shard.parse(null));
        assertEquals("3/8", Shard.parse("3/8").toString());
        assertFalse(Shard.SINGLE.sharded());
        assertTrue(Shard.parse("0/2").sharded());
    }

    @Test
    void refusesWhatIsNotAShard() {
        for (final String bad : new String[] {"2", "/2", "1/", "a/2", "1/b", "-1/2", "1/-2", "1/2/3", "0x1/2",
            "99999999999/2"}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad),
                bad);
            assertTrue(e.getMessage().contains("INDEX/COUNT"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("2/2"), "index must be below count");
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("0/0"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("0/1025"));
    }

    /** The hash is checked against Kafka's own {@code Utils.murmur2} in the gateway's {@code ShardKafkaTest}. */
    @Test
    void aShardOwnsWhatItIsAssigned() {
        for (int i = 0; i < 1000; i++) {
            final String id = "c-" + i;
            final int owner = Shard.of(id, 3);
            assertTrue(new Shard(owner, 3).owns(buffer(id), 0, id.length()));
            assertFalse(new Shard((owner + 1) % 3, 3).owns(buffer(id), 0, id.length()));
        }
    }

    @Test
    void spreadsCustomersEvenly() {
        final int[] counts = new int[4];
        for (int i = 0; i < 100_000; i++) {
            counts[Shard.of("customer-" + i, 4)]++;
        }
        for (final int c : counts) {
            assertTrue(c > 24_000 && c < 26_000, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void ownsEveryCountthPartition() {
        final Shard shard = new Shard(1, 3);
        assertTrue(shard.ownsPartition(1));
        assertTrue(shard.ownsPartition(4));
        assertFalse(shard.ownsPartition(0));
        assertFalse(shard.ownsPartition(5));
        assertTrue(Shard.SINGLE.ownsPartition(7));
    }

    private static UnsafeBuffer buffer(final String s) {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }
}

package io.ecap.gateway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.shard.Shard;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * The shard of a customer is Kafka's default partition of a record keyed by that customer id, so with a partition
 * count that is a multiple of the shard count, shard {@code i} owns exactly the partitions {@code p % count == i}.
 */
class ShardKafkaTest {
    @Test
    void aCustomersShardIsItsKafkaPartitionModuloTheShards() {
        final Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            final String id = n % 3 == 0 ? "c-" + n : randomId(random);
            final byte[] key = id.getBytes(StandardCharsets.UTF_8);
            final int partitionOf6 = Utils.toPositive(Utils.murmur2(key)) % 6;
            for (final int count : new int[] {1, 2, 3, 6}) {
                final int shard = Shard.of(id, count);
                assertEquals(partitionOf6 % count, shard, id + " with " + count + " shards");
                assertTrue(new Shard(shard, count).ownsPartition(partitionOf6));
            }
            assertEquals(Utils.toPositive(Utils.murmur2(key)) % 5, Shard.of(id, 5), id);
        }
    }

    private static String randomId(final Random random) {
        final StringBuilder id = new StringBuilder();
        final int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            id.append((char) ('!' + random.nextInt(94)));
        }
        return id.toString();
    }
}

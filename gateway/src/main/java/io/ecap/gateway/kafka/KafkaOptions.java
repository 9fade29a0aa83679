package io.ecap.gateway.kafka;

import io.ecap.model.shard.Shard;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How ECAP talks to Kafka (settings {@code kafka.*}, see config/ecap.properties and docs/KAFKA.md).
 *
 * @param bootstrapServers   host:port list of any Kafka cluster
 * @param bridge             consume the input topics and score them
 * @param publish            publish decisions and fraud alerts from the journal
 * @param createTopics       create ECAP's topics that are absent, with the documented settings
 * @param groupId            the bridge's consumer group
 * @param instanceId         this instance's stable name: the consumer's static group membership (a restarted
 *                           instance takes its partitions back at once, without waiting for a session timeout) and the
 *                           publisher's transactional id (a restarted publisher fences its predecessor)
 * @param maxPollRecords     records per poll of the bridge's consumer
 * @param commitIntervalMs   how often the bridge commits the offsets of records that are in the journal
 * @param publishBatch       most decisions in one Kafka transaction of the publisher
 * @param shard              the engine's shard ({@link Shard#SINGLE}: the only one). A shard reads its own partitions
 *                           of the topics keyed by customer and every partition of the others, with a consumer group
 *                           and an instance id of its own, and recovers the publisher from its own partitions of
 *                           {@code decisions} (docs/SHARDS.md)
 */
public record KafkaOptions(String bootstrapServers, boolean bridge, boolean publish, boolean createTopics,
    String groupId, String instanceId, int maxPollRecords, long commitIntervalMs, int publishBatch, Shard shard) {

    public KafkaOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers: expected host:port[,host:port...]");
        }
        for (final String server : bootstrapServers.split(",", -1)) {
            final String problem = addressProblem(server.strip());
            if (problem != null) {
                throw new IllegalArgumentException("kafka.bootstrap-servers: expected host:port[,host:port...], found '"
                    + bootstrapServers + "' (" + problem + ")");
            }
        }
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("kafka.group-id: must not be empty");
        }
        if (instanceId.isBlank()) {
            throw new IllegalArgumentException("kafka.instance-id: must not be empty");
        }
        Objects.requireNonNull(shard, "shard");
        if (shard.sharded()) {
            final String suffix = "-shard-" + shard.index() + "-of-" + shard.count();
            groupId += suffix;
            instanceId += suffix;
        }
    }

    /**
     * Refuses bootstrap servers none of which has an address (a name the resolver does not know): Kafka's clients
     * cannot even be made then. One that resolves is enough, as for Kafka (the others may be down).
     */
    public void checkResolvable() {
        for (final String server : bootstrapServers.split(",")) {
            final String host = server.strip().substring(0, server.strip().lastIndexOf(':'));
            try {
                java.net.InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                return;
            } catch (final java.net.UnknownHostException e) {
                // the next one, then
            }
        }
        throw new IllegalArgumentException("kafka.bootstrap-servers: no address for any of '" + bootstrapServers
            + "' (the name resolver knows none of these hosts)");
    }

    /** What is wrong with one {@code host:port} of the bootstrap servers, or null (a bracketed IPv6 host is taken). */
    private static String addressProblem(final String server) {
        final int colon = server.lastIndexOf(':');
        if (colon < 0) {
            return "'" + server + "' has no port";
        }
        final String host = server.substring(0, colon);
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)
            || host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            return "'" + server + "': no host name or address before the port";
        }
        final String port = server.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
            return "'" + server + "': the port must be a number from 1 to 65535";
        }
        return null;
    }

    /** The bridge's consumer: manual commits, static membership, from the earliest record of a new group. */
    public Map<String, Object> consumer() {
        final Map<String, Object> config = reader("ecap-bridge-" + instanceId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return config;
    }

    /** A reader of committed records only, without commits (the bridge, the publisher's recovery, tests). */
    public Map<String, Object> reader(final String clientId) {
        final Map<String, Object> config = common(clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** The dead-letter producer: idempotent, acknowledged by all replicas. */
    public Map<String, Object> deadLetterProducer() {
        final Map<String, Object> config = producer("ecap-dead-letters-" + instanceId);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return config;
    }

    /** The publisher's transactional producer. */
    public Map<String, Object> publisherProducer() {
        final Map<String, Object> config = producer("ecap-publisher-" + instanceId);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ecap-publisher-" + instanceId);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return config;
    }

    public Map<String, Object> admin() {
        return common("ecap-admin-" + instanceId);
    }

    private Map<String, Object> producer(final String clientId) {
        final Map<String, Object> config = common(clientId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    private Map<String, Object> common(final String clientId) {
        final Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }
}

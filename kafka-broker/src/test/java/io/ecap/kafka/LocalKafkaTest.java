package io.ecap.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.topic.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {
    @TempDir
    Path dir;

    @Test
    void createsEveryTopicWithItsSettingsOnceAndKeepsThemAcrossARestart() throws Exception {
        final List<String> names = Topics.all().stream().map(Topics.Topic::name).collect(Collectors.toList());
        try (LocalKafka kafka = LocalKafka.start(dir, 0, 0)) {
            assertEquals(names, kafka.createTopics());
            assertEquals(List.of(), kafka.createTopics(), "a second call creates nothing");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()))) {
                final Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
                for (final Topics.Topic t : Topics.all()) {
                    assertEquals(t.partitions(), described.get(t.name()).partitions().size(), t.name());
                    final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
                    final Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
                    t.settings().forEach((key, value) ->
                        assertEquals(value, config.get(key).value(), t.name() + " " + key));
                }
            }
        }
        try (LocalKafka again = LocalKafka.start(dir, 0, 0)) {
            assertTrue(again.createTopics().isEmpty(), "the topics survived the restart");
        }
    }
}

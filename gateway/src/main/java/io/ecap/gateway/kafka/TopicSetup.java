package io.ecap.gateway.kafka;

import io.ecap.model.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates ECAP's topics ({@link Topics#all()}) that are absent, with the cluster's default replication factor. */
public final class TopicSetup {
    private TopicSetup() {
    }

    /** Returns the names of the topics it created. Fails with a clear message when the cluster cannot be reached. */
    public static List<String> ensure(final KafkaOptions options) throws InterruptedException {
        try (Admin admin = Admin.create(options.admin())) {
            final Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<NewTopic> missing = new ArrayList<>();
            for (final Topics.Topic t : Topics.all()) {
                if (!existing.contains(t.name())) {
                    missing.add(new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty())
                        .configs(t.settings()));
                }
            }
            final List<String> created = new ArrayList<>();
            for (final var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        } catch (final ExecutionException | TimeoutException e) {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("kafka.bootstrap-servers=" + options.bootstrapServers()
                + ": could not list or create topics (" + cause + ")", cause);
        }
    }
}

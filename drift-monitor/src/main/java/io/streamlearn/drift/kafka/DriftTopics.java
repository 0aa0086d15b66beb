package io.streamlearn.drift.kafka;

import io.streamlearn.drift.DriftMonitorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the monitor's output topics, {@code drift-alerts} and {@code retrain-requests}, when they are missing. The
 * {@code events} topic is the trainer's ({@code TopicSetup}); the monitor only reads it.
 */
public final class DriftTopics {

    private DriftTopics() {
    }

    public static void createMissing(DriftMonitorConfig config, int partitions, short replication) {
        Properties admin = new Properties();
        admin.putAll(config.kafkaProperties());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get();
            List<NewTopic> wanted = new ArrayList<>();
            for (String topic : List.of(config.alertsTopic(), config.retrainRequestsTopic())) {
                if (!existing.contains(topic)) {
                    wanted.add(new NewTopic(topic, partitions, replication));
                }
            }
            if (!wanted.isEmpty()) {
                client.createTopics(wanted).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics on " + config.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}

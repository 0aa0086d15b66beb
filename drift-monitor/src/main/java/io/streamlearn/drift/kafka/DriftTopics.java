package io.streamlearn.drift.kafka;

import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.kafka.TopicSetup;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the monitor's output topics, {@code drift-alerts} and {@code retrain-requests}, when they are missing, the
 * way the trainer creates its own ({@link TopicSetup}: created, then awaited until their leaders serve them), and
 * {@code drift-references}, which the retrainer writes and also creates: a global store's topic must exist before the
 * monitor starts; likewise {@code model-definitions}, which the monitor follows. The {@code events} topic is the
 * trainer's; the monitor only reads it.
 */
public final class DriftTopics {

    private DriftTopics() {
    }

    public static void createMissing(DriftMonitorConfig config, int partitions, short replication) {
        TopicSetup.createMissing(config.bootstrapServers(), config.kafkaProperties(), List.of(
                new NewTopic(config.alertsTopic(), partitions, replication),
                new NewTopic(config.retrainRequestsTopic(), partitions, replication)));
        TopicSetup.createShared(config.bootstrapServers(), config.kafkaProperties(),
                TopicSetup.driftReferences(config.driftReferencesTopic(), partitions, replication));
        TopicSetup.createShared(config.bootstrapServers(), config.kafkaProperties(),
                DefinitionWriter.definitionsTopic(config.definitionsTopic(), 1, replication));
    }
}

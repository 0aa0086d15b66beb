package io.streamlearn.trainer.kafka;

import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.kafka.TopicSetup;
import io.streamlearn.trainer.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The trainer's topics, created when missing ({@link TopicSetup}): {@code events} and {@code labels} with the same
 * partition count (a model's events and labels must meet in one task), {@code predictions}, {@code anomalies}, the
 * dead-letter topic, and the compacted {@code models} topic that keeps the newest snapshot of each model.
 */
public final class TrainerTopics {

    private TrainerTopics() {
    }

    public static void createMissing(TrainerConfig config, int partitions, short replication) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : List.of(config.eventsTopic(), config.labelsTopic(), config.predictionsTopic(),
                config.anomaliesTopic())) {
            topics.add(new NewTopic(topic, partitions, replication));
        }
        // A dead letter is a record of up to max.record.bytes plus its headers: when that passes Kafka's default
        // limit, the topic is created to hold it (the producer's max.request.size is checked at start).
        long deadLetterBytes = (long) config.maxRecordBytes() + TrainerConfig.DEAD_LETTER_HEADER_BYTES;
        topics.add(new NewTopic(config.deadLetterTopic(), partitions, replication).configs(
                deadLetterBytes <= TopicSetup.KAFKA_DEFAULT_MAX_MESSAGE_BYTES ? Map.of()
                        : Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(deadLetterBytes))));
        // Snapshots travel chunked (BlobChunking): the topic keeps the cluster's default record limit.
        topics.add(new NewTopic(config.modelsTopic(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // One partition: definitions are few, and one partition keeps every writer's records in one order.
        topics.add(DefinitionWriter.definitionsTopic(config.definitionsTopic(), 1, replication));
        TopicSetup.createMissing(config.bootstrapServers(), config.kafkaProperties(), topics);
    }
}

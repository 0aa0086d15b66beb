package io.streamlearn.trainer.kafka;

import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.kafka.TopicSetup;
import io.streamlearn.trainer.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The trainer's topics, created when missing ({@link TopicSetup}): {@code events} and {@code labels} with the same
 * partition count (a model's events and labels must meet in one task), {@code predictions}, {@code anomalies}, the
 * dead-letter topic, the compacted {@code models} topic that keeps the newest snapshot of each model, and, with
 * {@code shard.enabled}, the three topics of sharded models (steps to the shards, their votes to the vote stage, and
 * each event's summed votes back, the latter with as many partitions as {@code events}).
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
        if (config.shardingEnabled()) {
            // Summed votes must reach the task of their model's events: the sums topic has the events' partitions.
            topics.add(new NewTopic(config.shardStepsTopic(), partitions, replication));
            topics.add(new NewTopic(config.shardSumsTopic(), partitions, replication));
            topics.add(new NewTopic(config.shardVotesTopic(), config.shardVotesPartitions().orElse(partitions),
                    replication));
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

    /**
     * The topics of sharded models, which a trainer with {@code shard.enabled} reads whether a model is sharded or
     * not (a definition may shard one at any time): created when missing with the partitions and replication of
     * {@code events}, wherever the rest came from, but for the votes topic, which may have any partition count
     * ({@code shard.votes.partitions}: its records are spread by event over the vote stage's tasks, and more partitions
     * spread it further). Does nothing without {@code shard.enabled}, or while {@code events} is missing (Kafka
     * Streams reports that).
     *
     * @throws IllegalStateException when the sums topic exists with another partition count than {@code events}:
     *         sums would reach the wrong task
     */
    public static void ensureShardTopics(TrainerConfig config) {
        if (!config.shardingEnabled()) {
            return;
        }
        Map<String, TopicDescription> found = TopicSetup.describeExisting(config.bootstrapServers(),
                config.kafkaProperties(), List.of(config.eventsTopic(), config.shardStepsTopic(),
                        config.shardVotesTopic(), config.shardSumsTopic()));
        TopicDescription events = found.get(config.eventsTopic());
        if (events == null) {
            return;
        }
        int partitions = events.partitions().size();
        short replication = (short) events.partitions().get(0).replicas().size();
        TopicDescription sums = found.get(config.shardSumsTopic());
        if (sums != null && sums.partitions().size() != partitions) {
            throw new IllegalStateException("topic " + config.shardSumsTopic() + " has " + sums.partitions().size()
                    + " partitions and " + config.eventsTopic() + " " + partitions + ": each event's summed votes "
                    + "must reach the task of its model's events, so the two need the same count (the sums topic "
                    + "holds only sums in flight: recreate it with " + partitions + " partitions while no trainer "
                    + "runs)");
        }
        TopicSetup.createMissing(config.bootstrapServers(), config.kafkaProperties(), List.of(
                new NewTopic(config.shardStepsTopic(), partitions, replication),
                new NewTopic(config.shardVotesTopic(), config.shardVotesPartitions().orElse(partitions), replication),
                new NewTopic(config.shardSumsTopic(), partitions, replication)));
    }
}

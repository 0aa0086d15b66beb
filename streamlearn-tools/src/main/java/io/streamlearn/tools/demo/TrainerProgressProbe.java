package io.streamlearn.tools.demo;

import io.streamlearn.runtime.kafka.KafkaAdmin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the trainer has consumed its input up to the end: its consumer group's committed offsets (written in the
 * same transaction as its outputs) against the topics' end offsets. Valid and invalid records both count, so this is
 * "every replayed event processed".
 */
public final class TrainerProgressProbe implements AutoCloseable {

    private final Admin admin;
    private final String groupId;
    private final List<String> inputTopics;

    public TrainerProgressProbe(String bootstrapServers, String groupId, List<String> inputTopics) {
        this.admin = KafkaAdmin.create(bootstrapServers, Map.of());
        this.groupId = groupId;
        this.inputTopics = inputTopics;
    }

    public boolean caughtUp() throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(inputTopics).allTopicNames().get().values()
                    .stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || committed.get(end.getKey()) != null
                    && committed.get(end.getKey()).offset() >= end.getValue().offset());
        } catch (ExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}

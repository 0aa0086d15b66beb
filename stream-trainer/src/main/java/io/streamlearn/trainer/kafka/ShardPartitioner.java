package io.streamlearn.trainer.kafka;

import io.streamlearn.core.model.ModelDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Places shard {@code j} of model {@code m} on partition {@code (murmur2(m) + j) mod partitions} of the shard-steps
 * topic: a model's shards on consecutive, distinct partitions (as long as it has no more shards than the topic has
 * partitions), so Kafka Streams can spread them over threads and instances, while its shards' order of steps is the
 * order its task sent them in.
 */
final class ShardPartitioner {

    private ShardPartitioner() {
    }

    static int partition(String shardKey, int partitions) {
        int separator = shardKey.lastIndexOf(ModelDefinition.SHARD_SEPARATOR);
        String model = shardKey.substring(0, separator);
        int shard = Integer.parseInt(shardKey.substring(separator + 1));
        int first = Utils.toPositive(Utils.murmur2(model.getBytes(StandardCharsets.UTF_8))) % partitions;
        return (first + shard) % partitions;
    }

    static <V> StreamPartitioner<String, V> spreadingShards() {
        return (topic, key, value, partitions) -> Optional.of(Set.of(partition(key, partitions)));
    }
}

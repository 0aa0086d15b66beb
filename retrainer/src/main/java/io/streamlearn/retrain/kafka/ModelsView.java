package io.streamlearn.retrain.kafka;

import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.RunPorts.ChampionSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The compacted {@code models} topic read to its end when asked: the champions of a run (the newest record of
 * {@code <model>} and of {@code <model>@batch}) and the models the schedule knows. Reading to the end offsets taken at
 * the call, with a {@code read_committed} consumer, means a run always sees every snapshot committed before it started,
 * including the version the previous run promoted, which a follower running behind would not guarantee. Only the
 * wanted keys' bytes are kept; snapshots are decoded when a run asks.
 */
public final class ModelsView implements ChampionSource {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final RetrainConfig config;

    public ModelsView(RetrainConfig config) {
        this.config = config;
    }

    @Override
    public Champions champions(String model) {
        String batchKey = Champions.batchKey(model);
        Map<String, byte[]> newest = readNewest(key -> key.equals(model) || key.equals(batchKey), true);
        return new Champions(decode(newest.get(model)), decode(newest.get(batchKey)));
    }

    /** The models with an online or batch version. */
    public Set<String> models() {
        Set<String> models = new TreeSet<>();
        readNewest(key -> true, false).keySet().forEach(key -> models.add(key.endsWith("@batch")
                ? key.substring(0, key.length() - "@batch".length()) : key));
        return models;
    }

    private Map<String, byte[]> readNewest(Predicate<String> wanted, boolean keepValues) {
        Map<String, byte[]> newest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(config, "streamlearn-retrainer-models"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.modelsTopic()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the models topic was not read to its end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.key() != null && wanted.test(record.key())) {
                        if (record.value() == null) {
                            newest.remove(record.key());
                        } else {
                            newest.put(record.key(), keepValues ? record.value() : new byte[0]);
                        }
                    }
                }
            }
        }
        return newest;
    }

    private static ModelSnapshot decode(byte[] bytes) {
        return bytes == null ? null : ModelSnapshotCodec.decode(bytes);
    }
}

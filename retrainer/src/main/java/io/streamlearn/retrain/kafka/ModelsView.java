package io.streamlearn.retrain.kafka;

import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.RunPorts.ChampionSource;
import io.streamlearn.serve.kafka.TopicFollower;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest record of each key of the compacted {@code models} topic, followed from its beginning on a thread of its
 * own (serving's {@link TopicFollower}): the champions of every run and the models the schedule knows. Bytes are kept
 * as they came and decoded only when a run asks, so a large online ensemble costs nothing until then. A version this
 * instance promotes is offered here at once, so the run after it sees it as the batch champion.
 */
public final class ModelsView implements ChampionSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsView.class);

    private final Map<String, byte[]> newest = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    public ModelsView(RetrainConfig config) {
        this.follower = new TopicFollower(FollowedTopics.followerConfig(config), config.modelsTopic(),
                "streamlearn-retrainer-models", record -> {
                    if (record.key() != null && record.value() != null) {
                        offer(record.key(), record.value());
                    }
                });
    }

    public void start() {
        follower.start();
    }

    /** Keeps a record unless a newer version of its key is held. */
    public void offer(String key, byte[] value) {
        long version;
        try {
            version = ModelSnapshotCodec.decodeMetadata(value).version();
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipping unreadable snapshot for '{}' on the models topic: {}", key, e.getMessage());
            return;
        }
        newest.merge(key, value, (held, offered) ->
                ModelSnapshotCodec.decodeMetadata(held).version() > version ? held : offered);
    }

    @Override
    public Champions champions(String model) {
        return new Champions(decode(newest.get(model)), decode(newest.get(Champions.batchKey(model))));
    }

    /** The models with an online or batch version. */
    public Set<String> models() {
        Set<String> models = new TreeSet<>();
        newest.keySet().forEach(key -> models.add(key.endsWith("@batch")
                ? key.substring(0, key.length() - "@batch".length()) : key));
        return models;
    }

    private static ModelSnapshot decode(byte[] bytes) {
        return bytes == null ? null : ModelSnapshotCodec.decode(bytes);
    }

    @Override
    public void close() {
        follower.close();
    }
}

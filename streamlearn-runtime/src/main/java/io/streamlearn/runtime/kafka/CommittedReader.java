package io.streamlearn.runtime.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Properties of a consumer that follows or reads back streamlearn's topics by assignment, as the prediction server and
 * the retrainer do: it sees committed records only (the trainer and the retrainer write in transactions), commits no
 * offsets of its own, and never creates a topic.
 */
public final class CommittedReader {

    private CommittedReader() {
    }

    /**
     * @param configured the configured {@code kafka.*} properties (security, timeouts), which may set the client id
     *                   but not the guarantees above
     * @param clientId   the client id when none is configured
     */
    public static Map<String, Object> consumerProperties(Map<String, String> configured, String bootstrapServers,
            String clientId) {
        Map<String, Object> properties = new HashMap<>(configured);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // On a broker that creates topics on demand, a reader started before the trainer would otherwise create the
        // topic itself, with the broker's default cleanup policy instead of compaction.
        properties.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }
}

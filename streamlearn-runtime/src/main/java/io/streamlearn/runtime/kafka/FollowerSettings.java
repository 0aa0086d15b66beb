package io.streamlearn.runtime.kafka;

import java.util.Map;

/**
 * Where a {@link TopicFollower} reads from: the cluster and the configured {@code kafka.*} client properties
 * (security, timeouts), passed to its consumer unchanged. Every service that follows a compacted topic builds one from
 * its own configuration.
 */
public record FollowerSettings(String bootstrapServers, Map<String, String> kafkaProperties) {

    public FollowerSettings {
        kafkaProperties = Map.copyOf(kafkaProperties);
    }
}

package io.streamlearn.retrain.kafka;

import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.serve.ServingConfig;

/** The serving module's compacted-topic follower, configured from the retrainer's settings. */
final class FollowedTopics {

    private FollowedTopics() {
    }

    static ServingConfig followerConfig(RetrainConfig config) {
        return ServingConfig.defaults().withBootstrapServers(config.bootstrapServers())
                .withKafkaProperties(config.kafkaProperties());
    }
}

package io.streamlearn.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicFollowerTest {

    @Test
    void consumerReadsOnlyCommittedSnapshotsAndPassesKafkaPropertiesThrough() {
        FollowerSettings settings = new FollowerSettings("broker:9092",
                Map.of("security.protocol", "SSL", "client.id", "replica-7"));

        Map<String, Object> properties = TopicFollower.consumerProperties(settings, "streamlearn-model-follower");

        assertThat(properties)
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("allow.auto.create.topics", false)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("client.id", "replica-7")
                .doesNotContainKey("group.id");
    }
}

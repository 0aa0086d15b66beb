package io.streamlearn.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.config.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicTest {

    @Test
    void readsTheConfiguredNameOrFallsBackToTheDefault() {
        ConfigValues values = new ConfigValues(Map.of("topic.models", "models-a"));

        assertThat(Topic.MODELS.name(values)).isEqualTo("models-a");
        assertThat(Topic.PINS.name(values)).isEqualTo("model-pins");
        assertThat(Topic.DEAD_LETTERS.name(values)).isEqualTo("events.dlq");
    }

    @Test
    void readsADeprecatedServingKeyAsItsTopicKey() {
        assertThat(Topic.PREDICTIONS.name(new ConfigValues(Map.of("predictions.topic", "p-old")))).isEqualTo("p-old");
    }
}

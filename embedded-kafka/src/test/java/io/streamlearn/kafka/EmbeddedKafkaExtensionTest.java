package io.streamlearn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaExtensionTest {

    private static EmbeddedKafkaBroker broker;
    private static String startedBeforeOwnSetUp;

    @BeforeAll
    static void createTopicOnTheSharedBroker(EmbeddedKafkaBroker resolved) {
        startedBeforeOwnSetUp = broker == null ? null : broker.bootstrapServers();
        assertThat(resolved).isSameAs(broker);
        broker.createTopic("extension-fixture", 1, Map.of());
    }

    @AfterAll
    static void brokerStillRunsDuringTheClassTearDown() {
        broker.createTopic("extension-teardown", 1, Map.of());
    }

    @Test
    void theClassFieldAndTheParameterAreOneRunningBroker(EmbeddedKafkaBroker parameter) {
        assertThat(startedBeforeOwnSetUp).isNotBlank();
        assertThat(parameter).isSameAs(broker);
        parameter.createTopic("extension-test", 1, Map.of());
    }
}

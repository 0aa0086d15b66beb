package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drift monitor on a real KRaft broker with exactly-once Kafka Streams. */
class DriftMonitorIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aShiftedFeatureOnEventsReachesDriftAlertsAndRetrainRequestsCommitted() throws Exception {
        DriftMonitorConfig config = DriftMonitorConfig.of(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "topic.events", "shift.events",
                "topic.drift.alerts", "shift.drift-alerts",
                "topic.retrain.requests", "shift.retrain-requests",
                "kafka.state.dir", stateDir.toString(),
                "kafka.commit.interval.ms", "200"));
        broker.createTopic(config.eventsTopic(), 1, Map.of());
        DriftTopics.createMissing(config, 1, (short) 1);
        produceShiftedEvents(config.eventsTopic(), 9000, 6000);

        try (DriftMonitorApplication monitor = DriftMonitorApplication.start(config, new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    !CommittedRecords.readAll(broker.bootstrapServers(), config.retrainRequestsTopic()).isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> monitor.reports().of(DriftEvents.MODEL)
                    .map(r -> r.current().toPosition() == 9000).orElse(false));
        }

        List<ConsumerRecord<String, byte[]>> alerts =
                CommittedRecords.readAll(broker.bootstrapServers(), config.alertsTopic());
        assertThat(alerts).hasSize(1);
        JsonNode alert = JSON.readTree(alerts.get(0).value());
        assertThat(alerts.get(0).key()).isEqualTo(DriftEvents.MODEL);
        assertThat(alert.get("kind").asText()).isEqualTo("feature");
        assertThat(alert.get("feature").asText()).isEqualTo("x");
        assertThat(alert.get("current").get("toPosition").asLong()).isGreaterThan(6000);
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.retrainRequestsTopic())).hasSize(1);
    }

    private static void produceShiftedEvents(String topic, int count, int change) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        DriftEvents source = new DriftEvents(21);
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 1; i <= count; i++) {
                if (i == change + 1) {
                    source.shiftX(1.0);
                }
                producer.send(new ProducerRecord<>(topic, DriftEvents.MODEL, source.event(i)));
            }
        }
    }
}

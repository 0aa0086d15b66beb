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
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift monitor on a real KRaft broker with exactly-once Kafka Streams: events, predictions, late labels. Every
 * topic keeps Kafka's default record limit.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DriftMonitorIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @Test
    void eventsPredictionsAndLateLabelsReachDriftAlertsAsFeatureAndConceptAlertsCommitted() throws Exception {
        DriftMonitorConfig config = config("shift");
        TrafficProducer traffic = new TrafficProducer(broker, config);
        traffic.produceUpTo(2000);
        // One event with a 70 KB nominal value (once a crash of the monitor on every restart): counted, skipped.
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.eventsTopic(), Traffic.MODEL, ("{\"id\":\"huge\",\"features\":"
                    + "{\"x\":0.1,\"city\":\"" + "c".repeat(70_000) + "\"}}").getBytes(StandardCharsets.UTF_8)));
        }
        traffic.produceUpTo(8000);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DriftMonitorApplication monitor = DriftMonitorApplication.start(config, registry)) {
            awaitEnd(config, monitor);
            assertThat(monitor.isAlive()).isTrue();
            assertThat(registry.get("streamlearn.drift.invalid.events").tag("reason", "too_long").counter().count())
                    .isEqualTo(1);
        }

        assertOneFeatureAndOneConceptAlert(config);
    }

    /**
     * The broker stops and restarts (same data directory) after the monitor has read the first half of the stream,
     * and the second half is produced only then: the monitor recovers without help and commits the same alerts, once
     * each, as the uninterrupted run above (issue #7: "trainer, drift monitor and servers recover").
     */
    @Test
    void aBrokerRestartMidStreamChangesNoAlert() throws Exception {
        DriftMonitorConfig config = config("fault");
        TrafficProducer traffic = new TrafficProducer(broker, config);
        traffic.produceUpTo(4000);

        try (DriftMonitorApplication monitor = DriftMonitorApplication.start(config, new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                    monitor.reports().of(Traffic.MODEL).map(r -> r.current().toPosition() >= 2000).orElse(false));
            broker.stop();
            broker.restart();
            traffic.produceUpTo(8000);
            awaitEnd(config, monitor);
        }

        assertOneFeatureAndOneConceptAlert(config);
    }

    private DriftMonitorConfig config(String prefix) {
        return MonitorTopics.create(broker, stateDir, prefix);
    }

    private static void awaitEnd(DriftMonitorConfig config, DriftMonitorApplication monitor) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                CommittedRecords.readAll(broker.bootstrapServers(), config.retrainRequestsTopic()).size() >= 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> monitor.reports().of(Traffic.MODEL)
                .map(r -> r.current().toPosition() == 8000).orElse(false));
    }

    private static void assertOneFeatureAndOneConceptAlert(DriftMonitorConfig config) throws Exception {
        List<JsonNode> alerts = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(broker.bootstrapServers(),
                config.alertsTopic())) {
            assertThat(record.key()).isEqualTo(Traffic.MODEL);
            alerts.add(JSON.readTree(record.value()));
        }
        // The only feature drifts: x, and the dataset (all of its one feature) in the same window.
        assertThat(alerts).filteredOn(a -> a.get("kind").asText().equals("feature"))
                .extracting(a -> a.get("feature").asText()).containsExactly("x", "_dataset");
        assertThat(alerts).filteredOn(a -> a.get("kind").asText().equals("feature")).allSatisfy(alert -> {
                    assertThat(alert.get("current").get("toPosition").asLong()).isBetween(3001L, 4000L);
                });
        assertThat(alerts).filteredOn(a -> a.get("kind").asText().equals("concept")).singleElement()
                .satisfies(alert -> {
                    assertThat(alert.get("statistic").asText()).isEqualTo("adwin");
                    assertThat(alert.get("current").get("toPosition").asLong()).isBetween(5001L, 5600L);
                });
        assertThat(alerts).hasSize(3);
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.retrainRequestsTopic())).hasSize(2);
    }
}

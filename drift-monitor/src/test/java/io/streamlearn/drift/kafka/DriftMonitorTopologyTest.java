package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.LatestReports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftMonitorTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHANGE = 6000;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LatestReports reports = new LatestReports();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> alerts;
    private TestOutputTopic<String, byte[]> retrainRequests;

    @TempDir
    Path stateDir;

    @BeforeEach
    void startDriver() {
        DriftMonitorConfig config = DriftMonitorConfig.of(Map.of());
        DriftMetrics metrics = new DriftMetrics();
        metrics.bindTo(registry);
        var properties = DriftMonitorTopology.streamsProperties(config);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // Its own state directory: the default one under /tmp is shared by every build on the machine.
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DriftMonitorTopology.build(config, metrics, reports), properties);
        events = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic("drift-alerts", new StringDeserializer(), new ByteArrayDeserializer());
        retrainRequests = driver.createOutputTopic("retrain-requests", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aCovariateShiftOfOneFeatureIsAlertedOnceNamingItAndRequestsRetraining() throws IOException {
        pipeBadEvents();
        DriftEvents source = new DriftEvents(11);
        for (int i = 1; i <= 12_000; i++) {
            if (i == CHANGE + 1) {
                source.shiftX(1.0);
            }
            events.pipeInput(DriftEvents.MODEL, source.event(i));
        }

        List<TestRecord<String, byte[]>> records = alerts.readRecordsToList();
        assertThat(records).singleElement().satisfies(record -> assertThat(record.key()).isEqualTo(DriftEvents.MODEL));
        JsonNode alert = JSON.readTree(records.get(0).value());
        assertThat(alert.get("model").asText()).isEqualTo(DriftEvents.MODEL);
        assertThat(alert.get("kind").asText()).isEqualTo("feature");
        assertThat(alert.get("feature").asText()).isEqualTo("x");
        assertThat(alert.get("statistic").asText()).isEqualTo("psi");
        assertThat(alert.get("value").asDouble()).isGreaterThanOrEqualTo(alert.get("threshold").asDouble());
        assertThat(alert.get("pValue").asDouble()).isLessThan(0.05 / 4);
        assertThat(alert.get("severity").asText()).isEqualTo("major");
        JsonNode reference = alert.get("reference");
        assertThat(reference.get("fromPosition").asLong()).isEqualTo(1);
        assertThat(reference.get("toPosition").asLong()).isEqualTo(5000);
        assertThat(reference.get("fromOffset").asLong()).as("after the three bad events").isEqualTo(3);
        assertThat(reference.get("fromTime").asLong()).isEqualTo(DriftEvents.START + 1000);
        JsonNode current = alert.get("current");
        assertThat(current.get("toPosition").asLong() - current.get("fromPosition").asLong()).isEqualTo(999);
        assertThat(current.get("toPosition").asLong()).isBetween((long) CHANGE + 750, (long) CHANGE + 1500);
        assertThat(current.get("toOffset").asLong()).isEqualTo(current.get("toPosition").asLong() + 2);

        List<TestRecord<String, byte[]>> requests = retrainRequests.readRecordsToList();
        assertThat(requests).hasSize(1);
        JsonNode request = JSON.readTree(requests.get(0).value());
        assertThat(request.get("model").asText()).isEqualTo(DriftEvents.MODEL);
        assertThat(request.get("fromPosition").asLong()).isEqualTo(current.get("fromPosition").asLong());
        assertThat(request.get("alerts").get(0).get("feature").asText()).isEqualTo("x");
        assertThat(reports.of(DriftEvents.MODEL)).hasValueSatisfying(
                report -> assertThat(report.current().toPosition()).isEqualTo(12_000));
    }

    /** A retrain trains a supervised model, which would answer classes in place of a clusterer's clusters. */
    @Test
    void aDefinedClusterModelsDriftIsAlertedButNotSentToTheRetrainer() {
        FeatureSchema clusters = new FeatureSchema(DriftEvents.MODEL, FeatureSpec.nominal("segment", List.of("a", "b")),
                List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("y"),
                        FeatureSpec.nominal("color", List.of("red", "green", "blue")), FeatureSpec.numeric("z")),
                List.of(), Task.CLUSTER);
        ModelCatalog catalog = new ModelCatalog();
        catalog.apply(DefinedModel.defined(new ModelDefinition(clusters, "clustream.WithKmeans -k 3")));
        try (MonitorDriver monitor = new MonitorDriver(Map.of(), stateDir.resolve("clusters"), catalog)) {
            DriftEvents source = new DriftEvents(11);
            for (int i = 1; i <= 12_000; i++) {
                if (i == CHANGE + 1) {
                    source.shiftX(1.0);
                }
                monitor.events.pipeInput(DriftEvents.MODEL, source.event(i));
            }

            assertThat(monitor.alerts()).singleElement()
                    .satisfies(alert -> assertThat(alert.get("feature").asText()).isEqualTo("x"));
            assertThat(monitor.retrainRequests()).isEmpty();
            assertThat(monitor.counter("streamlearn.drift.retrain.requests", "model", DriftEvents.MODEL)).isZero();
        }
    }

    @Test
    void metersShowTheLatestWindowsStatisticsSizesAndAlerts() {
        DriftEvents source = new DriftEvents(14);
        for (int i = 1; i <= 12_000; i++) {
            if (i == CHANGE + 1) {
                source.shiftX(1.0);
            }
            events.pipeInput(DriftEvents.MODEL, source.event(i));
        }
        String model = DriftEvents.MODEL;
        assertThat(registry.get("streamlearn.drift.alerts").tags("model", model, "kind", "feature").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("streamlearn.drift.events").tag("model", model).counter().count()).isEqualTo(12_000);
        assertThat(registry.get("streamlearn.drift.statistic").tags("model", model, "feature", "x", "statistic", "psi")
                .gauge().value()).isGreaterThan(0.25);
        assertThat(registry.get("streamlearn.drift.statistic").tags("model", model, "feature", "y", "statistic", "psi")
                .gauge().value()).isLessThan(0.1);
        assertThat(registry.get("streamlearn.drift.statistic")
                .tags("model", model, "feature", "color", "statistic", "jensen_shannon").gauge().value()).isLessThan(0.1);
        assertThat(registry.get("streamlearn.drift.window.size").tags("model", model, "window", "reference").gauge()
                .value()).isEqualTo(5000);
        assertThat(registry.get("streamlearn.drift.window.size").tags("model", model, "window", "current").gauge()
                .value()).isEqualTo(1000);
        assertThat(registry.get("streamlearn.drift.share").tag("model", model).gauge().value()).isEqualTo(0.25);
    }

    @Test
    void aStationaryStreamRaisesNoAlert() {
        DriftEvents source = new DriftEvents(12);
        for (int i = 1; i <= 20_000; i++) {
            events.pipeInput(DriftEvents.MODEL, source.event(i));
        }
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(retrainRequests.isEmpty()).isTrue();
        assertThat(reports.of(DriftEvents.MODEL)).isPresent();
    }

    @Test
    void badEventsAreCountedByReasonAndNotFatal() {
        pipeBadEvents();
        assertThat(registry.get("streamlearn.drift.invalid.events").tag("reason", "malformed_json").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("streamlearn.drift.invalid.events").tag("reason", "missing_features").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("streamlearn.drift.invalid.events").tag("reason", "wrong_type").counter().count())
                .isEqualTo(1);
        events.pipeInput(DriftEvents.MODEL, new DriftEvents(13).event(1));
        assertThat(alerts.isEmpty()).isTrue();
    }

    private void pipeBadEvents() {
        events.pipeInput(DriftEvents.MODEL, "{not json".getBytes(StandardCharsets.UTF_8));
        events.pipeInput(DriftEvents.MODEL, "{\"id\":\"b2\"}".getBytes(StandardCharsets.UTF_8));
        events.pipeInput(DriftEvents.MODEL,
                "{\"id\":\"b3\",\"features\":{\"x\":{\"nested\":1}}}".getBytes(StandardCharsets.UTF_8));
    }
}

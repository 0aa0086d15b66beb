package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.eval.AlertRule;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An anomaly detector and a clusterer through the same topology as the supervised learners: every event scored or
 * assigned on {@code predictions}, alerts on {@code anomalies}, snapshots on {@code models}.
 */
class UnsupervisedTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<FeatureSpec> XY = List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("y"));
    private static final FeatureSchema SENSORS = new FeatureSchema("sensors",
            FeatureSpec.nominal("label", List.of("normal", "anomaly")), XY, List.of(), Task.ANOMALY);
    private static final FeatureSchema BLOBS = new FeatureSchema("blobs",
            FeatureSpec.nominal("label", List.of("normal", "anomaly")), XY, List.of(), Task.CLUSTER);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;

    @TempDir
    Path stateDir;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(ModelDefinition... models) {
        TrainerConfig config = TrainerConfig.of(Map.of("snapshot.interval.ms", "1000"));
        driver = TrainerTestDriver.start(config, List.of(models), stateDir, registry);
    }

    @Test
    void anomalyDetectorScoresEveryEventAndAlertsOnInjectedAnomalies() throws Exception {
        start(new ModelDefinition(SENSORS, LearnerFactory.DEFAULT_ANOMALY_SPEC, AlertRule.topRate(0.02)));
        TestInputTopic<String, byte[]> events = input("events");
        Random random = new Random(11);
        Set<String> injected = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            boolean anomaly = i >= 1000 && i % 100 == 0;
            double centre = anomaly ? 0.9 : 0.3;
            String id = "s" + i;
            if (anomaly) {
                injected.add(id);
            }
            // Labels on some events: they evaluate the detector, they do not train it.
            String label = i % 2 == 0 ? (anomaly ? "anomaly" : "normal") : null;
            events.pipeInput("sensors", event(id, centre + random.nextGaussian() * 0.05,
                    centre + random.nextGaussian() * 0.05, label), 1_700_000_000_000L + i);
        }
        List<TestRecord<String, byte[]>> predictions = output("predictions").readRecordsToList();
        assertThat(predictions).hasSize(3000);
        JsonNode last = JSON.readTree(predictions.get(2999).value());
        assertThat(last.get("prediction").isNumber()).isTrue();
        assertThat(last.get("anomaly").isBoolean()).isTrue();

        Set<String> alerted = new HashSet<>();
        for (TestRecord<String, byte[]> alert : output("anomalies").readRecordsToList()) {
            JsonNode json = JSON.readTree(alert.value());
            assertThat(json.get("model").asText()).isEqualTo("sensors");
            assertThat(json.get("score").isNumber()).isTrue();
            alerted.add(json.get("id").asText());
        }
        Set<String> caught = new HashSet<>(injected);
        caught.retainAll(alerted);
        assertThat(caught).as("injected anomalies alerted").hasSizeGreaterThanOrEqualTo(17);
        // 20 injected among 2000 events: a 2 % rate alerts on a few normal events too, not on many.
        assertThat(alerted.size()).isLessThan(80);
        assertThat(registry.get("streamlearn.train.anomaly.alerts").counter().count()).isEqualTo(alerted.size());

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        ModelSnapshot snapshot = ModelSnapshotCodec.decode(ChunkReassembler.completeValues(
                output("models").readRecordsToList(), TestRecord::key, TestRecord::value).get(0));
        assertThat(snapshot.metadata().evaluation().rocAuc()).isGreaterThan(0.95);
        assertThat(snapshot.metadata().evaluation().alerts()).isEqualTo(alerted.size());
        assertThat(snapshot.restoreLearner().spec()).isEqualTo(LearnerFactory.DEFAULT_ANOMALY_SPEC);
        assertThat(registry.get("streamlearn.train.anomaly.roc.auc").gauge().value())
                .isEqualTo(snapshot.metadata().evaluation().rocAuc());
        assertThat(registry.get("streamlearn.train.accuracy").tag("model", "sensors").gauge().value()).isNaN();
    }

    @Test
    void clustererAssignsEveryEventAClusterIdAndPublishesItsClusters() throws Exception {
        start(new ModelDefinition(BLOBS, LearnerFactory.DEFAULT_CLUSTER_SPEC));
        TestInputTopic<String, byte[]> events = input("events");
        Random random = new Random(4);
        double[][] centres = {{0, 0}, {10, 0}, {0, 10}};
        for (int i = 0; i < 2000; i++) {
            double[] centre = centres[random.nextInt(3)];
            events.pipeInput("blobs", event("b" + i, centre[0] + random.nextGaussian() * 0.5,
                    centre[1] + random.nextGaussian() * 0.5, null), 1_700_000_000_000L + i);
        }
        List<TestRecord<String, byte[]>> predictions = output("predictions").readRecordsToList();
        assertThat(predictions).hasSize(2000);
        Set<Integer> ids = new HashSet<>();
        for (TestRecord<String, byte[]> record : predictions.subList(1000, 2000)) {
            JsonNode json = JSON.readTree(record.value());
            ids.add(json.get("prediction").asInt());
            assertThat(json.get("distance").asDouble()).isLessThan(3.0);
        }
        assertThat(ids).hasSize(3);
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        ModelSnapshot snapshot = ModelSnapshotCodec.decode(ChunkReassembler.completeValues(
                output("models").readRecordsToList(), TestRecord::key, TestRecord::value).get(0));
        assertThat(snapshot.restoreLearner().clusters()).hasSize(3);
        assertThat(snapshot.metadata().evaluation().window().silhouette()).isGreaterThan(0.8);
        assertThat(output("anomalies").isEmpty()).isTrue();
        assertThat(registry.get("streamlearn.train.cluster.silhouette.window").gauge().value()).isGreaterThan(0.8);
        assertThat(registry.get("streamlearn.train.cluster.count").gauge().value()).isEqualTo(3);
    }

    private static byte[] event(String id, double x, double y, String label) {
        String labelField = label == null ? "" : ",\"label\":\"" + label + "\"";
        return String.format(Locale.ROOT, "{\"id\":\"%s\",\"features\":{\"x\":%.6f,\"y\":%.6f}%s}", id, x, y,
                labelField).getBytes(StandardCharsets.UTF_8);
    }

    private TestInputTopic<String, byte[]> input(String topic) {
        return TrainerTestDriver.input(driver, topic);
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
        return TrainerTestDriver.output(driver, topic);
    }
}

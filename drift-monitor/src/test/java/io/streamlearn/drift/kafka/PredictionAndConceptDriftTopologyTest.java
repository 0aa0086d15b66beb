package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prediction drift (per source) and concept drift (predictions joined with inline or late labels) in the topology. */
class PredictionAndConceptDriftTopologyTest {

    /** Smaller windows than the defaults, so each test needs fewer records. */
    static final Map<String, String> SMALL = Map.of("drift.reference.size", "2000", "drift.window.size", "1000",
            "drift.window.step", "250");
    private static final String MODEL = Traffic.MODEL;

    @TempDir
    Path stateDir;
    private MonitorDriver monitor;

    @BeforeEach
    void start() {
        monitor = new MonitorDriver(SMALL, stateDir);
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void aShiftOfPredictedClassesIsAPredictionAlertAndServedTrafficIsWindowedApart() {
        Traffic traffic = new Traffic(21);
        for (int i = 1; i <= 6000; i++) {
            traffic.shareA = i > 3000 ? 0.2 : 0.7;
            traffic.next();
            monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
            monitor.predictions.pipeInput(MODEL, traffic.prediction(i), Traffic.time(i));
            // Served traffic of the same events keeps its own (stationary) distribution: it must raise nothing.
            traffic.shareA = 0.5;
            traffic.next();
            monitor.predictions.pipeInput(MODEL, traffic.prediction("e" + i, i, "serving"), Traffic.time(i));
        }

        List<JsonNode> alerts = monitor.alerts();
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.get("kind").asText()).isEqualTo("prediction");
            assertThat(alert.get("feature").asText()).doesNotStartWith("serving.");
        });
        JsonNode predicted = alerts.stream().filter(a -> a.get("feature").asText().equals("prediction")).findFirst()
                .orElseThrow();
        assertThat(predicted.get("statistic").asText()).isEqualTo("jensen_shannon");
        assertThat(predicted.get("current").get("toPosition").asLong()).isBetween(3250L, 4000L);
        assertThat(alerts.stream().filter(a -> a.get("feature").asText().equals("prediction"))).hasSize(1);
        assertThat(monitor.retrainRequests()).isNotEmpty();
        assertThat(monitor.counter("streamlearn.drift.predictions", "model", MODEL, "source", "serving"))
                .isEqualTo(6000);
        assertThat(monitor.reports.predictions(MODEL)).containsOnlyKeys("serving", "trainer");
        assertThat(monitor.reports.predictions(MODEL).get("serving").features())
                .anySatisfy(f -> assertThat(f.feature()).isEqualTo("serving.prediction"));
    }

    @Test
    void aRiseOfTheErrorRateOnInlineLabelsIsOneConceptAlertWithARetrainingRequest() {
        Traffic traffic = new Traffic(22);
        for (int i = 1; i <= 8000; i++) {
            traffic.accuracy = i > 4000 ? 0.6 : 0.9;
            traffic.next();
            monitor.events.pipeInput(MODEL, traffic.event(i, true), Traffic.time(i));
            monitor.predictions.pipeInput(MODEL, traffic.prediction(i), Traffic.time(i));
        }

        List<JsonNode> alerts = monitor.alerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.get("kind").asText()).isEqualTo("concept");
            assertThat(alert.get("feature").asText()).isEqualTo("error");
            assertThat(alert.get("statistic").asText()).isEqualTo("adwin");
            assertThat(alert.get("value").asDouble()).as("the error rate after the change").isGreaterThan(0.12);
            assertThat(alert.get("current").get("toPosition").asLong()).isBetween(4001L, 4600L);
        });
        assertThat(monitor.retrainRequests()).singleElement()
                .satisfies(r -> assertThat(r.get("alerts").get(0).get("kind").asText()).isEqualTo("concept"));
        assertThat(monitor.counter("streamlearn.drift.concept.outcomes", "model", MODEL)).isEqualTo(8000);
        assertThat(monitor.counter("streamlearn.drift.concept.errors", "model", MODEL)).isBetween(1800.0, 2300.0);
        assertThat(monitor.reports.concept(MODEL)).hasValueSatisfying(c -> assertThat(c.outcomes()).isEqualTo(8000));
    }

    @Test
    void lateLabelsOnTheLabelsTopicJoinTheirPredictions() {
        Traffic traffic = new Traffic(23);
        String[] labels = new String[8001];
        for (int i = 1; i <= 8000; i++) {
            traffic.accuracy = i > 4000 ? 0.6 : 0.9;
            traffic.next();
            labels[i] = traffic.label();
            monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
            monitor.predictions.pipeInput(MODEL, traffic.prediction(i), Traffic.time(i));
            if (i > 100) {
                // Each label arrives 100 events after its prediction.
                monitor.labels.pipeInput(MODEL, Traffic.label(i - 100, labels[i - 100]), Traffic.time(i));
            }
        }

        assertThat(monitor.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.get("kind").asText()).isEqualTo("concept");
            assertThat(alert.get("current").get("toPosition").asLong()).isBetween(4001L, 4600L);
        });
        assertThat(monitor.counter("streamlearn.drift.concept.outcomes", "model", MODEL)).isEqualTo(7900);
    }

    @Test
    void waitingPredictionsAreBoundedAndTheDroppedOnesCounted() {
        monitor.close();
        monitor = new MonitorDriver(Map.of("drift.pending.max", "100", "drift.pending.ttl.ms", "500000"), stateDir);
        Traffic traffic = new Traffic(24);
        for (int i = 1; i <= 300; i++) {
            traffic.next();
            monitor.predictions.pipeInput(MODEL, traffic.prediction(i), Traffic.time(i));
        }
        assertThat(monitor.counter("streamlearn.drift.pending.dropped", "model", MODEL, "reason", "overflow",
                "side", "prediction")).isEqualTo(200);
        // 600 s later (record time) the 100 still waiting have expired: the next prediction's arrival drops them.
        traffic.next();
        monitor.predictions.pipeInput(MODEL, traffic.prediction(900), Traffic.time(900));
        assertThat(monitor.counter("streamlearn.drift.pending.dropped", "model", MODEL, "reason", "expired",
                "side", "prediction")).isEqualTo(100);
        monitor.labels.pipeInput(MODEL, Traffic.label(1, "a"), Traffic.time(901));
        monitor.labels.pipeInput(MODEL, Traffic.label(900, "a"), Traffic.time(901));
        assertThat(monitor.counter("streamlearn.drift.concept.outcomes", "model", MODEL)).as("only e900 still waited")
                .isEqualTo(1);
    }

    @Test
    void badPredictionsAndLabelsAreCountedByReasonAndNotFatal() {
        for (String bad : List.of("{not json", "{\"model\":\"shop\",\"prediction\":\"a\"}",
                "{\"id\":\"e1\",\"prediction\":{\"x\":1}}", "{\"id\":\"e1\",\"prediction\":\"a\",\"source\":\"x\"}")) {
            monitor.predictions.pipeInput(MODEL, bad.getBytes(StandardCharsets.UTF_8));
        }
        for (String bad : List.of("[1]", "{\"id\":\"e1\"}", "{\"id\":\"e1\",\"label\":[1]}")) {
            monitor.labels.pipeInput(MODEL, bad.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(monitor.counter("streamlearn.drift.invalid.predictions", "reason", "malformed_json")).isEqualTo(1);
        assertThat(monitor.counter("streamlearn.drift.invalid.predictions", "reason", "missing_id")).isEqualTo(1);
        assertThat(monitor.counter("streamlearn.drift.invalid.predictions", "reason", "wrong_type")).isEqualTo(2);
        assertThat(monitor.counter("streamlearn.drift.invalid.labels", "reason", "not_an_object")).isEqualTo(1);
        assertThat(monitor.counter("streamlearn.drift.invalid.labels", "reason", "missing_label")).isEqualTo(1);
        assertThat(monitor.counter("streamlearn.drift.invalid.labels", "reason", "invalid_label")).isEqualTo(1);
        Traffic traffic = new Traffic(25);
        traffic.next();
        monitor.predictions.pipeInput(MODEL, traffic.prediction(1));
        assertThat(monitor.counter("streamlearn.drift.predictions", "model", MODEL, "source", "trainer")).isEqualTo(1);
        assertThat(monitor.alerts()).isEmpty();
    }
}

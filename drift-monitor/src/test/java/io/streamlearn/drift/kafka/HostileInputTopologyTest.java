package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single records built to hurt the monitor (issue #14): names and values too long for its state codecs, invented
 * models and features by the thousand, labels with ids that never meet a prediction. Each is counted with a reason
 * and skipped or bounded; the well-formed traffic around them is monitored as if they were not there.
 */
class HostileInputTopologyTest {

    private static final String HUGE = "v".repeat(70_000);

    @TempDir
    Path stateDir;

    @Test
    void namesAndValuesOfSeventyKilobytesAreCountedAsTooLongAndTheEventsAfterThemAreStillMonitored() {
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL, stateDir)) {
            Traffic traffic = new Traffic(71);
            int i = 0;
            for (; i < 1000; i++) {
                traffic.next();
                monitor.events.pipeInput(Traffic.MODEL, traffic.event(i + 1, false));
            }
            monitor.events.pipeInput(Traffic.MODEL, json("{\"id\":\"n\",\"features\":{\"x\":1.0,\"city\":\"" + HUGE
                    + "\"}}"));
            monitor.events.pipeInput(Traffic.MODEL, json("{\"id\":\"f\",\"features\":{\"" + HUGE + "\":1.0}}"));
            monitor.events.pipeInput(Traffic.MODEL, json("{\"id\":\"l\",\"features\":{\"x\":1.0},\"label\":\"" + HUGE
                    + "\"}"));
            monitor.events.pipeInput(Traffic.MODEL, json("{\"id\":\"" + HUGE + "\",\"features\":{\"x\":1.0}}"));
            monitor.events.pipeInput(HUGE, json("{\"id\":\"m\",\"features\":{\"x\":1.0}}"));
            monitor.labels.pipeInput(Traffic.MODEL, json("{\"id\":\"e1\",\"label\":\"" + HUGE + "\"}"));
            monitor.predictions.pipeInput(Traffic.MODEL, json("{\"id\":\"e1\",\"prediction\":\"" + HUGE + "\"}"));
            monitor.predictions.pipeInput(Traffic.MODEL, json("{\"id\":\"e1\",\"prediction\":\"a\",\"scores\":{\""
                    + HUGE + "\":1.0}}"));
            for (; i < 3000; i++) {
                traffic.next();
                monitor.events.pipeInput(Traffic.MODEL, traffic.event(i + 1, false));
            }

            assertThat(monitor.counter("streamlearn.drift.invalid.events", "reason", "too_long")).isEqualTo(5);
            assertThat(monitor.counter("streamlearn.drift.invalid.labels", "reason", "too_long")).isEqualTo(1);
            assertThat(monitor.counter("streamlearn.drift.invalid.predictions", "reason", "too_long")).isEqualTo(2);
            // Every good event is in the windows: the current window ends at the 3,000th.
            assertThat(monitor.reports.of(Traffic.MODEL)).hasValueSatisfying(report ->
                    assertThat(report.current().toPosition()).isEqualTo(3000));
            assertThat(monitor.registry.find("streamlearn.drift.record.failures").meters()).isEmpty();
        }
    }

    @Test
    void inventedModelsBeyondTheLimitAreCountedAndCreateNoStateOrSeries() {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put("drift.max.models", "3");
        try (MonitorDriver monitor = new MonitorDriver(settings, stateDir)) {
            for (int model = 0; model < 50; model++) {
                for (int i = 0; i < 4; i++) {
                    monitor.events.pipeInput("m" + model, json("{\"id\":\"" + i + "\",\"features\":{\"x\":1.0}}"));
                    monitor.labels.pipeInput("m" + model, json("{\"id\":\"" + i + "\",\"label\":\"a\"}"));
                }
            }

            assertThat(monitor.counter("streamlearn.drift.invalid.events", "reason", "unknown_model"))
                    .isEqualTo(47 * 4);
            assertThat(monitor.counter("streamlearn.drift.invalid.labels", "reason", "unknown_model"))
                    .isEqualTo(47 * 4);
            assertThat(modelsIn(monitor)).containsExactlyInAnyOrder("m0", "m1", "m2");
            assertThat(monitor.storeContents().get(DriftMonitorTopology.POSITION_STORE)).containsOnlyKeys("m0", "m1",
                    "m2");
        }
    }

    @Test
    void withDeclaredModelsOnlyThoseAreMonitored() {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put("drift.models", "shop, other");
        try (MonitorDriver monitor = new MonitorDriver(settings, stateDir)) {
            Traffic traffic = new Traffic(72);
            traffic.next();
            monitor.events.pipeInput(Traffic.MODEL, traffic.event(1, false));
            monitor.events.pipeInput("intruder", traffic.event(2, false));
            monitor.predictions.pipeInput("intruder", json("{\"id\":\"e2\",\"model\":\"intruder\"}"));

            assertThat(monitor.counter("streamlearn.drift.invalid.events", "reason", "unknown_model")).isEqualTo(1);
            assertThat(monitor.counter("streamlearn.drift.invalid.predictions", "reason", "unknown_model"))
                    .isEqualTo(1);
            assertThat(modelsIn(monitor)).containsExactly(Traffic.MODEL);
        }
    }

    /**
     * With models defined on the definitions topic, the monitor watches those only; a model deleted there is
     * forgotten (meters and windows of this task) and its later records are counted as unknown_model.
     */
    @Test
    void withDefinedModelsOnlyThoseAreMonitoredAndADeletedOneIsForgotten() {
        ModelCatalog catalog = new ModelCatalog();
        ModelDefinition shop = new ModelDefinition(new FeatureSchema(Traffic.MODEL,
                FeatureSpec.nominal("label", List.of("a", "b")), List.of(FeatureSpec.numeric("x"))),
                "bayes.NaiveBayes");
        catalog.apply(DefinedModel.defined(shop));
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL, stateDir,
                catalog)) {
            Traffic traffic = new Traffic(73);
            traffic.next();
            monitor.events.pipeInput(Traffic.MODEL, traffic.event(1, false));
            monitor.events.pipeInput("intruder", traffic.event(2, false));
            assertThat(monitor.counter("streamlearn.drift.invalid.events", "reason", "unknown_model")).isEqualTo(1);
            assertThat(modelsIn(monitor)).containsExactly(Traffic.MODEL);

            catalog.apply(DefinedModel.deletion(Traffic.MODEL, shop, 1, 2));
            catalog.apply(DefinedModel.defined(new ModelDefinition(shop.schema().withModel("kept"),
                    "bayes.NaiveBayes")));
            traffic.next();
            monitor.events.pipeInput(Traffic.MODEL, traffic.event(3, false));
            assertThat(monitor.counter("streamlearn.drift.invalid.events", "reason", "unknown_model")).isEqualTo(2);
            assertThat(modelsIn(monitor)).doesNotContain(Traffic.MODEL);
        }
    }

    @Test
    void featuresBeyondTheLimitAreCountedAndNotMonitored() {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put("drift.max.features", "5");
        try (MonitorDriver monitor = new MonitorDriver(settings, stateDir)) {
            for (int i = 1; i <= 3000; i++) {
                StringBuilder features = new StringBuilder();
                for (int f = 0; f < 3; f++) {
                    features.append(String.format(Locale.ROOT, "\"f%d\":%d.0,", f, i % 7));
                }
                // After 100 events of the 3 real features, each event also names 20 invented ones.
                for (int f = 0; i > 100 && f < 20; f++) {
                    features.append(String.format(Locale.ROOT, "\"e%d_%02d\":1.0,", i, f));
                }
                features.setLength(features.length() - 1);
                monitor.events.pipeInput(Traffic.MODEL, json("{\"id\":\"" + i + "\",\"features\":{" + features
                        + "}}"));
            }

            assertThat(monitor.reports.of(Traffic.MODEL)).hasValueSatisfying(report -> assertThat(report.features())
                    .extracting(drift -> drift.feature()).containsExactlyInAnyOrder("f0", "f1", "f2", "e101_00",
                            "e101_01"));
            // Event 101 fills the 5 places with the first 2 invented names (in name order); the reference's other
            // invented values, 18 of event 101 and 20 of each of events 102 to 2,000, are counted, and so are the 18
            // values beyond the first 5 that each later event names (a record keeps at most drift.max.features).
            assertThat(monitor.counter("streamlearn.drift.unmonitored.values", "model", Traffic.MODEL))
                    .isEqualTo(18 + 1899 * 20 + 1000 * 18);
        }
    }

    @Test
    void labelsThatNeverMeetAPredictionStayWithinTheByteBudget() {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put("drift.pending.max.bytes", String.valueOf(64 * 1024));
        try (MonitorDriver monitor = new MonitorDriver(settings, stateDir)) {
            String longText = "l".repeat(EventCodec.MAX_TEXT_CHARS);
            for (int i = 0; i < 500; i++) {
                String id = String.format(Locale.ROOT, "%0256d", i);
                monitor.labels.pipeInput(Traffic.MODEL, json("{\"id\":\"" + id + "\",\"label\":\"" + longText
                        + "\"}"));
                long pending = pendingBytes(monitor);
                assertThat(pending).isLessThanOrEqualTo(64 * 1024);
            }
            Map<String, Object> pending = monitor.storeContents().get(DriftMonitorTopology.PENDING_STORE);
            long waiting = pending.keySet().stream().filter(key -> key.startsWith("p\0")).count();
            // About 4.7 KB an entry: 13 fit in 64 KiB, the other 487 were dropped as overflow.
            assertThat(waiting).isBetween(10L, 14L);
            assertThat(monitor.counter("streamlearn.drift.pending.dropped", "model", Traffic.MODEL, "reason",
                    "overflow", "side", "label")).isEqualTo(500 - waiting);
        }
    }

    private static long pendingBytes(MonitorDriver monitor) {
        Object bytes = monitor.storeContents().get(DriftMonitorTopology.PENDING_STORE).get("b\0" + Traffic.MODEL);
        return bytes == null ? 0 : ByteBuffer.wrap((byte[]) bytes).getLong();
    }

    private static Set<String> modelsIn(MonitorDriver monitor) {
        return monitor.registry.getMeters().stream().map(Meter::getId).map(id -> id.getTag("model"))
                .filter(model -> model != null).collect(Collectors.toSet());
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

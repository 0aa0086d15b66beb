package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.chunk.BlobChunk;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.drift.window.WindowReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor's state across a restart, and its reference windows on a batch model's promotion. */
class MonitorStateTopologyTest {

    private static final String MODEL = Traffic.MODEL;
    /** Snapshots in chunks of 1 KiB, the smallest there are: a monitor's snapshot (tens of KB) is dozens of them. */
    private static final Map<String, String> SMALL_CHUNKS = withChunks(1024);

    @TempDir
    Path stateDir;

    /** One input record, generated once so both runs see the same stream. */
    private record Input(String topic, byte[] value, long time) {
    }

    @Test
    void aMonitorRestartedMidStreamRaisesTheSameAlertsAsAnUninterruptedOne() {
        List<Input> stream = featurePredictionAndConceptChanges();
        List<String> uninterrupted;
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL,
                stateDir.resolve("a"))) {
            stream.forEach(input -> pipe(monitor, input));
            uninterrupted = signatures(monitor.alerts());
        }
        assertThat(uninterrupted).as("feature, prediction and concept alerts")
                .anyMatch(s -> s.startsWith("feature x")).anyMatch(s -> s.startsWith("prediction prediction"))
                .anyMatch(s -> s.startsWith("concept error"));

        // Two crashes, between snapshots (records 7,123 and 13,457 of the 20,000): a new instance restores the
        // stores from their changelogs (here: copied over) and continues from the next input record. Its snapshots
        // are stored in chunks of 1 KiB, which changes no alert.
        List<String> restarted = new ArrayList<>();
        Map<String, Map<String, Object>> stores = null;
        int from = 0;
        for (int crashAt : new int[] {7_123, 13_457, stream.size()}) {
            try (MonitorDriver monitor = new MonitorDriver(SMALL_CHUNKS, stateDir.resolve("b" + crashAt))) {
                if (stores != null) {
                    monitor.restore(stores);
                }
                stream.subList(from, crashAt).forEach(input -> pipe(monitor, input));
                restarted.addAll(signatures(monitor.alerts()));
                if (from > 0) {
                    assertThat(monitor.counter("streamlearn.drift.state.restores", "model", MODEL)).isEqualTo(1);
                }
                stores = monitor.storeContents();
            }
            from = crashAt;
            assertSnapshotsChunked(stores.get(DriftMonitorTopology.STATE_STORE), 1024);
        }
        assertThat(restarted).isEqualTo(uninterrupted);
    }

    /** State written by the build before chunking (each snapshot whole under its key) is read back, not dropped. */
    @Test
    void aSnapshotWrittenWholeBeforeChunkingStillLoads() {
        Traffic traffic = new Traffic(33);
        Map<String, Map<String, Object>> stores = storesAfter(traffic, 3100);
        Map<String, Object> chunked = stores.get(DriftMonitorTopology.STATE_STORE);
        Map<String, Object> whole = new HashMap<>();
        chunked.forEach((key, value) -> {
            if (BlobChunking.isChunkKey(key)) {
                return;
            }
            whole.put(key, key.startsWith("s\0")
                    ? BlobChunking.defaults().read(key, k -> (byte[]) chunked.get(k)).orElseThrow() : value);
        });
        assertThat(whole).containsKey("s\0" + MODEL + "\0feature").hasSizeLessThan(chunked.size());
        stores.put(DriftMonitorTopology.STATE_STORE, whole);

        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL,
                stateDir.resolve("b"))) {
            monitor.restore(stores);
            for (int i = 3101; i <= 3250; i++) {
                traffic.next();
                monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
            }
            assertThat(monitor.counter("streamlearn.drift.state.restores", "model", MODEL)).isEqualTo(1);
            assertThat(monitor.reports.of(MODEL)).hasValueSatisfying(report -> {
                assertThat(report.reference().fromPosition()).as("the restored reference").isEqualTo(1);
                assertThat(report.current().toPosition()).isEqualTo(3250);
            });
        }
    }

    /**
     * Events of 300 features (an observation entry of ~5 KB): a journal page of 64 is ~300 KB, so with 16 KiB chunks
     * it is kept in parts, none over the chunk size; a monitor restored mid-page (from the stores alone) continues
     * with every record counted once, to the same windows as an uninterrupted one.
     */
    @Test
    void wideRecordsAreJournaledInPartsWithinTheChunkSizeAndRestoreExactly() {
        Map<String, String> settings = withChunks(16 * 1024);
        settings.put("drift.snapshot.records", "500");
        List<byte[]> events = new ArrayList<>();
        Random random = new Random(35);
        for (int i = 1; i <= 3300; i++) {
            StringBuilder features = new StringBuilder();
            for (int f = 0; f < 300; f++) {
                features.append(f == 0 ? "" : ",").append("\"feature").append(f).append("\":")
                        .append(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
            }
            events.add(("{\"id\":\"w" + i + "\",\"features\":{" + features + "}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Optional<WindowReport> uninterrupted;
        try (MonitorDriver monitor = new MonitorDriver(settings, stateDir.resolve("wide-a"))) {
            for (int i = 0; i < events.size(); i++) {
                monitor.events.pipeInput(MODEL, events.get(i), Traffic.time(i + 1));
            }
            uninterrupted = monitor.reports.of(MODEL);
        }
        Map<String, Map<String, Object>> stores = null;
        int from = 0;
        Optional<WindowReport> restarted = Optional.empty();
        for (int crashAt : new int[] {1_037, 2_043, events.size()}) {
            try (MonitorDriver monitor = new MonitorDriver(settings, stateDir.resolve("wide-b" + crashAt))) {
                if (stores != null) {
                    monitor.restore(stores);
                }
                for (int i = from; i < crashAt; i++) {
                    monitor.events.pipeInput(MODEL, events.get(i), Traffic.time(i + 1));
                }
                stores = monitor.storeContents();
                restarted = monitor.reports.of(MODEL);
            }
            from = crashAt;
            assertThat(stores.get(DriftMonitorTopology.STATE_STORE)).allSatisfy((key, value) ->
                    assertThat(((byte[]) value).length).as(key.replace('\0', '/')).isLessThanOrEqualTo(16 * 1024 + 64));
            assertThat(stores.get(DriftMonitorTopology.STATE_STORE).keySet())
                    .anyMatch(key -> key.startsWith("j\0") && key.chars().filter(c -> c == 0).count() == 4);
        }
        // Every record counted once across the restores (offsets differ: each driver's topic starts at 0), and the
        // same features monitored. Statistics are not compared: the KLL sketches compact unseeded (docs/drift.md §1).
        assertThat(uninterrupted).isPresent();
        assertThat(restarted.orElseThrow().current().fromPosition())
                .isEqualTo(uninterrupted.get().current().fromPosition());
        assertThat(restarted.get().current().toPosition()).isEqualTo(uninterrupted.get().current().toPosition())
                .isEqualTo(3250);
        assertThat(restarted.get().reference().toPosition()).isEqualTo(uninterrupted.get().reference().toPosition())
                .isEqualTo(2000);
        assertThat(restarted.get().features()).extracting(drift -> drift.feature())
                .containsExactlyElementsOf(uninterrupted.get().features().stream().map(drift -> drift.feature())
                        .toList()).hasSize(300);
    }

    /** Every snapshot is a manifest under its key and chunks of at most {@code chunkBytes} (plus their header). */
    private static void assertSnapshotsChunked(Map<String, Object> state, int chunkBytes) {
        assertThat(state.keySet()).filteredOn(key -> key.startsWith("s\0") && BlobChunking.isChunkKey(key))
                .hasSizeGreaterThan(4).allSatisfy(key -> {
                    byte[] chunk = (byte[]) state.get(key);
                    assertThat(BlobChunk.isChunk(chunk)).isTrue();
                    assertThat(chunk.length).isLessThanOrEqualTo(chunkBytes + 64);
                });
    }

    /** The changelogged stores after the first {@code events} events of {@code traffic}: what a restart restores. */
    private Map<String, Map<String, Object>> storesAfter(Traffic traffic, int events) {
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL,
                stateDir.resolve("a"))) {
            for (int i = 1; i <= events; i++) {
                traffic.next();
                monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
            }
            return monitor.storeContents();
        }
    }

    private static Map<String, String> withChunks(int chunkBytes) {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put("snapshot.chunk.bytes", Integer.toString(chunkBytes));
        return settings;
    }

    @Test
    void stateBuiltWithOtherWindowSettingsOrUnreadableStartsAfreshInsteadOfFailing() {
        Traffic traffic = new Traffic(32);
        Map<String, Map<String, Object>> stores = storesAfter(traffic, 3100);
        Map<String, String> larger = new java.util.HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        larger.put("drift.reference.size", "2500");
        try (MonitorDriver monitor = new MonitorDriver(larger, stateDir.resolve("b"))) {
            monitor.restore(stores);
            // The prediction monitor's snapshot is garbage: it must start afresh too.
            monitor.driver.getKeyValueStore(DriftMonitorTopology.STATE_STORE)
                    .put("s\0" + MODEL + "\0prediction.trainer", new byte[] {1, 2, 3});
            for (int i = 3101; i <= 7000; i++) {
                traffic.next();
                monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
                monitor.predictions.pipeInput(MODEL, traffic.prediction(i), Traffic.time(i));
            }
            assertThat(monitor.reports.of(MODEL)).hasValueSatisfying(report -> {
                assertThat(report.reference().fromPosition()).as("positions continue, windows restart").isEqualTo(3101);
                assertThat(report.reference().toPosition()).isEqualTo(5600);
            });
            assertThat(monitor.reports.predictions(MODEL)).containsKey("trainer");
            assertThat(monitor.alerts()).isEmpty();
        }
    }

    @Test
    void aBatchVersionWithoutTrainingRowsMovesTheReferenceToTheDataAfterItAndClearsTheSignals() {
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL, stateDir)) {
            Traffic traffic = new Traffic(31);
            // A batch version published before any event is only remembered: the first reference is built anyway.
            monitor.models.pipeInput(MODEL + "@batch", snapshot(ModelMetadata.BATCH, 7));
            monitor.models.pipeInput(MODEL, snapshot(ModelMetadata.ONLINE, 40));
            monitor.models.pipeInput(MODEL + "@batch", "garbage".getBytes(StandardCharsets.UTF_8));
            for (int i = 1; i <= 5000; i++) {
                traffic.xShift = i > 3000 ? 3 : 0;
                traffic.next();
                monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
            }
            assertThat(signatures(monitor.alerts())).anyMatch(s -> s.startsWith("feature x "));
            assertThat(monitor.counter("streamlearn.drift.invalid.models")).isEqualTo(1);

            // The retrainer publishes version 8, trained on the shifted data: it is the new baseline.
            monitor.models.pipeInput(MODEL + "@batch", snapshot(ModelMetadata.BATCH, 8));
            for (int i = 5001; i <= 10_000; i++) {
                // x returns to N(0, 1) at 8,000: a drift against the new reference only.
                traffic.xShift = i > 8000 ? 0 : 3;
                traffic.next();
                monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
            }
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(1);
            assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason",
                    "not_published")).as("its provenance names no training rows").isEqualTo(1);
            assertThat(monitor.reports.of(MODEL)).hasValueSatisfying(report -> {
                assertThat(report.reference().fromPosition()).isEqualTo(5001);
                assertThat(report.reference().toPosition()).isEqualTo(7000);
            });
            List<JsonNode> alerts = monitor.alerts();
            assertThat(alerts).filteredOn(a -> a.get("feature").asText().equals("x")).singleElement()
                    .satisfies(alert -> {
                        assertThat(alert.get("reference").get("fromPosition").asLong()).isEqualTo(5001);
                        assertThat(alert.get("current").get("toPosition").asLong()).isBetween(8001L, 9000L);
                    });
        }
    }

    private static byte[] snapshot(String origin, long version) {
        FeatureSchema schema = new FeatureSchema(MODEL, FeatureSpec.nominal("y", List.of("a", "b")),
                List.of(FeatureSpec.numeric("x")));
        ModelMetadata metadata = new ModelMetadata(MODEL, version, "xgboost", schema, Map.of(), 0, 0, null, 0,
                ModelSnapshotCodec.FORMAT_VERSION, origin, Map.of());
        return ModelSnapshotCodec.encode(new ModelSnapshot(metadata, new byte[] {1}));
    }

    /**
     * 20,000 events with inline labels and their trainer predictions: x shifts by 3 sigma at 4,000, the predicted
     * classes at 9,000, the error rate rises from 0.1 to 0.4 at 15,000. Changes far beyond the thresholds, so the
     * windows that confirm them do not depend on the KLL sketches' unseeded compaction (docs/drift.md, section 1).
     */
    private static List<Input> featurePredictionAndConceptChanges() {
        Traffic traffic = new Traffic(30);
        List<Input> stream = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            traffic.xShift = i > 4000 ? 3 : 0;
            traffic.shareA = i > 4500 ? 0.1 : 0.7;
            traffic.accuracy = i > 7500 ? 0.6 : 0.9;
            traffic.next();
            stream.add(new Input("events", traffic.event(i, true), Traffic.time(i)));
            stream.add(new Input("predictions", traffic.prediction(i), Traffic.time(i)));
        }
        return stream;
    }

    private static void pipe(MonitorDriver monitor, Input input) {
        (input.topic().equals("events") ? monitor.events : monitor.predictions).pipeInput(MODEL, input.value(),
                input.time());
    }

    /** What identifies an alert: kind, feature, statistic and the window that confirmed it. */
    private static List<String> signatures(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("kind").asText() + " " + a.get("feature").asText() + " "
                + a.get("statistic").asText() + " " + a.get("reference").get("fromPosition").asLong() + "-"
                + a.get("current").get("fromPosition").asLong() + "-" + a.get("current").get("toPosition").asLong())
                .toList();
    }
}

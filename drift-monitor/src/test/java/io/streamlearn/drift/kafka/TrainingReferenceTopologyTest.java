package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.model.TrainingReferenceCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.drift.window.WindowBounds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a promotion the feature reference is the new batch model's training rows, published by the retrainer on
 * {@code drift-references} (docs/drift.md, section 8), or, when they are not available, the traffic after it.
 * Settings {@link PredictionAndConceptDriftTopologyTest#SMALL}: reference 2,000, window 1,000, step 250, 4 windows to
 * confirm.
 */
class TrainingReferenceTopologyTest {

    private static final String MODEL = Traffic.MODEL;
    private static final long VERSION = 1_700_000_500_000L;
    /** Events before the promotion, all x ~ N(0, 1): the first reference is positions 1-2,000. */
    private static final int BEFORE = 3000;
    /** Offsets of the training rows on events: they lie before the live ones (which start at offset 0 here). */
    private static final long TRAINING_OFFSET = 100_000;
    /** The smallest chunks there are, so a blob of a few KB is many records. */
    private static final Map<String, String> SMALL_CHUNKS = small("snapshot.chunk.bytes", "1024");
    private static final BlobChunking CHUNKING = new BlobChunking(1024, BlobChunking.DEFAULT_MAX_BLOB_BYTES);

    @TempDir
    Path stateDir;

    @Test
    void thePromotedModelsNewestTrainRowsBecomeTheReferenceAndTrafficLikeThemRaisesNothing() {
        // The default reference size (5,000), whose false-alarm rate was measured (docs/drift.md, section 3).
        Map<String, String> settings = new java.util.HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put("drift.reference.size", "5000");
        try (MonitorDriver monitor = new MonitorDriver(settings, stateDir)) {
            Traffic traffic = new Traffic(40);
            events(monitor, traffic, 1, 6000, 0);
            // Trained on x ~ N(3, 1), 6,000 train rows: the newest 5,000 (the reference size) are the reference.
            TrainingReference training = training(6000, 3, 41);
            promote(monitor, training, true);
            events(monitor, traffic, 6001, 11_000, 3);

            assertThat(monitor.alerts()).as("live traffic as the training rows: no drift").isEmpty();
            TrainingReference.Row first = training.rows().get(1000);
            TrainingReference.Row last = training.rows().get(5999);
            assertThat(monitor.reports.of(MODEL)).hasValueSatisfying(report -> {
                assertThat(report.reference()).isEqualTo(new WindowBounds(-4999, 0, 0, first.offset(), last.offset(),
                        first.timestamp(), last.timestamp()));
                assertThat(report.current().toPosition()).isEqualTo(11_000);
            });
            assertThat(monitor.registry.get("streamlearn.drift.window.size").tags("model", MODEL, "kind", "feature",
                    "window", "reference").gauge().value()).isEqualTo(5000);
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(1);
            for (String reason : List.of("not_published", "missing", "unreadable")) {
                assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason", reason))
                        .as(reason).isZero();
            }
        }
    }

    @Test
    void trafficUnlikeTheTrainingRowsIsAlertedRightAfterThePromotionNotAFreshReferenceLater() {
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL, stateDir)) {
            Traffic traffic = new Traffic(42);
            events(monitor, traffic, 1, BEFORE, 0);
            promote(monitor, training(3000, 0, 43), true);
            events(monitor, traffic, BEFORE + 1, BEFORE + 5000, 3);

            // The first current window is full 1,000 records after the promotion; 4 drifting windows confirm.
            assertThat(monitor.alerts()).filteredOn(a -> a.get("feature").asText().equals("x")).singleElement()
                    .satisfies(alert -> {
                        assertThat(alert.get("reference").get("toPosition").asLong()).isZero();
                        assertThat(alert.get("current").get("toPosition").asLong()).isEqualTo(BEFORE + 1750);
                    });
        }
        // Before issue #5 (the fallback): the 2,000 records after the promotion are the reference, and the same
        // shifted traffic is the new normal: nothing is alerted, and nothing could be before record 3,000 + 2,000.
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL,
                stateDir.resolve("fallback"))) {
            Traffic traffic = new Traffic(42);
            events(monitor, traffic, 1, BEFORE, 0);
            promote(monitor, training(3000, 0, 43), false);
            events(monitor, traffic, BEFORE + 1, BEFORE + 5000, 3);
            assertThat(monitor.alerts()).isEmpty();
        }
    }

    @Test
    void withoutItsTrainingRowsAPromotionFallsBackToTheTrafficAfterItAndCountsWhy() {
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL, stateDir)) {
            Traffic traffic = new Traffic(44);
            events(monitor, traffic, 1, BEFORE, 0);
            assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason",
                    "not_published")).as("registered at zero").isZero();

            // An older retrainer's version (or one trained on a provenance without offsets): no rows announced.
            promote(monitor, training(3000, 3, 45), false);
            events(monitor, traffic, BEFORE + 1, BEFORE + 3000, 0);
            assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason",
                    "not_published")).isEqualTo(1);
            assertThat(monitor.reports.of(MODEL)).hasValueSatisfying(report -> {
                assertThat(report.reference().fromPosition()).isEqualTo(BEFORE + 1);
                assertThat(report.reference().toPosition()).isEqualTo(BEFORE + 2000);
            });

            // Announced, but the record on drift-references is unreadable.
            monitor.references.pipeInput(MODEL, "garbage".getBytes(StandardCharsets.UTF_8));
            monitor.models.pipeInput(MODEL + "@batch", snapshot(VERSION + 1, true));
            events(monitor, traffic, BEFORE + 3001, BEFORE + 3001, 0);
            assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason",
                    "unreadable")).isEqualTo(1);

            // Announced, but never arrives (or only an older version's): the monitor waits, then falls back.
            monitor.references.pipeInput(MODEL, TrainingReferenceCodec.encode(training(100, 3, 46)));
            monitor.models.pipeInput(MODEL + "@batch", snapshot(VERSION + 2, true));
            int start = BEFORE + 3002;
            events(monitor, traffic, start, start + ModelMonitors.REFERENCE_WAIT_RECORDS - 1, 0);
            assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason", "missing"))
                    .isZero();
            events(monitor, traffic, start + ModelMonitors.REFERENCE_WAIT_RECORDS,
                    start + ModelMonitors.REFERENCE_WAIT_RECORDS, 0);
            assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason", "missing"))
                    .isEqualTo(1);
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(3);
            // Stationary traffic may still raise a rare false alarm (section 3); never against training rows here.
            assertThat(monitor.alerts()).allSatisfy(alert ->
                    assertThat(alert.get("reference").get("fromPosition").asLong()).isPositive());
        }
    }

    @Test
    void aVersionWhoseTrainingRowsArriveAfterItWaitsForThem() {
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL, stateDir)) {
            Traffic traffic = new Traffic(47);
            events(monitor, traffic, 1, BEFORE, 0);
            TrainingReference training = training(1500, 0, 48);
            // The global thread read the model before the reference (two topics of one transaction).
            monitor.models.pipeInput(MODEL + "@batch", snapshot(VERSION, true));
            events(monitor, traffic, BEFORE + 1, BEFORE + 100, 0);
            monitor.references.pipeInput(MODEL, TrainingReferenceCodec.encode(training));
            events(monitor, traffic, BEFORE + 101, BEFORE + 1100, 0);

            assertThat(monitor.reports.of(MODEL)).hasValueSatisfying(report -> {
                assertThat(report.reference().toPosition()).isZero();
                assertThat(report.reference().size()).as("fewer rows than the reference size: all of them")
                        .isEqualTo(1500);
                assertThat(report.current().toPosition()).isEqualTo(BEFORE + 1100);
            });
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(1);
        }
    }

    @Test
    void aMonitorRestartedAfterAPromotionRaisesTheSameAlertsAsAnUninterruptedOne() {
        TrainingReference training = training(3000, 0, 50);
        List<byte[]> stream = new ArrayList<>();
        Traffic traffic = new Traffic(49);
        for (int i = 1; i <= 9000; i++) {
            traffic.xShift = i > BEFORE ? 3 : 0;
            traffic.next();
            stream.add(traffic.event(i, false));
        }
        List<String> uninterrupted;
        try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL,
                stateDir.resolve("a"))) {
            for (int i = 1; i <= stream.size(); i++) {
                if (i == BEFORE + 1) {
                    promote(monitor, training, true);
                }
                monitor.events.pipeInput(MODEL, stream.get(i - 1), Traffic.time(i));
            }
            uninterrupted = signatures(monitor.alerts());
        }
        assertThat(uninterrupted).anyMatch(s -> s.startsWith("feature x ") && s.contains(" 0 "));

        // Crashes just after the promotion (record 3,123) and mid-alerting (4,601); a new instance restores the
        // changelogged stores and reads the global topics again, as Kafka Streams does.
        List<String> restarted = new ArrayList<>();
        Map<String, Map<String, Object>> stores = null;
        int from = 1;
        for (int crashAt : new int[] {3_123, 4_601, stream.size() + 1}) {
            try (MonitorDriver monitor = new MonitorDriver(PredictionAndConceptDriftTopologyTest.SMALL,
                    stateDir.resolve("b" + crashAt))) {
                if (stores != null) {
                    monitor.restore(stores);
                    promote(monitor, training, true);
                }
                for (int i = from; i < crashAt; i++) {
                    if (i == BEFORE + 1) {
                        promote(monitor, training, true);
                    }
                    monitor.events.pipeInput(MODEL, stream.get(i - 1), Traffic.time(i));
                }
                restarted.addAll(signatures(monitor.alerts()));
                stores = monitor.storeContents();
            }
            from = crashAt;
        }
        assertThat(restarted).isEqualTo(uninterrupted);
    }

    /**
     * The retrainer's promotion as it writes it, chunked (1 KiB chunks here: a reference of 3,000 rows is dozens of
     * them): each global store assembles its blob and keeps no chunk once the manifest is read, an online model's
     * chunks are never held, and the promotion's reference is the training rows.
     */
    @Test
    void aChunkedTrainingReferenceAndBatchModelAreAssembledInTheGlobalStoresAndTheRowsBecomeTheReference() {
        try (MonitorDriver monitor = new MonitorDriver(SMALL_CHUNKS, stateDir)) {
            Traffic traffic = new Traffic(54);
            events(monitor, traffic, 1, BEFORE, 0);
            TrainingReference training = training(3000, 0, 55);
            List<BlobChunking.Part> rows = CHUNKING.split(MODEL, TrainingReferenceCodec.encode(training), new byte[0]);
            assertThat(rows).hasSizeGreaterThan(10);
            pipe(monitor.references, rows);
            pipe(monitor.models, ModelSnapshotCodec.toRecords(MODEL, snapshot(VERSION - 1, false, 5000), CHUNKING));
            pipe(monitor.models, ModelSnapshotCodec.toRecords(MODEL + "@batch", snapshot(VERSION, true, 5000),
                    CHUNKING));

            assertThat(keys(monitor, DriftMonitorTopology.TRAINING_REFERENCE_STORE)).containsExactly(MODEL);
            assertThat(monitor.driver.<String, byte[]>getKeyValueStore(DriftMonitorTopology.TRAINING_REFERENCE_STORE)
                    .get(MODEL)).isEqualTo(TrainingReferenceCodec.encode(training));
            assertThat(keys(monitor, DriftMonitorTopology.BATCH_MODEL_STORE)).containsExactly(MODEL + "@batch");
            events(monitor, traffic, BEFORE + 1, BEFORE + 1100, 0);
            assertThat(monitor.reports.of(MODEL)).hasValueSatisfying(report -> {
                assertThat(report.reference().toPosition()).isZero();
                assertThat(report.reference().size()).isEqualTo(2000);
            });
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(1);
            assertThat(monitor.registry.find("streamlearn.drift.invalid.models").counter()).as("none counted").isNull();
        }
    }

    /**
     * A batch version whose manifest lacks a chunk is counted as an invalid model and the previous version stays; a
     * reference whose manifest lacks a chunk is never used: its promotion falls back, counted as unreadable. The
     * chunks of both are deleted from the stores.
     */
    @Test
    void aChunkedVersionOrReferenceMissingAChunkIsCountedAndNeverUsed() {
        try (MonitorDriver monitor = new MonitorDriver(SMALL_CHUNKS, stateDir)) {
            Traffic traffic = new Traffic(56);
            events(monitor, traffic, 1, BEFORE, 0);
            pipe(monitor.models, ModelSnapshotCodec.toRecords(MODEL + "@batch", snapshot(VERSION, false, 5000),
                    CHUNKING));
            events(monitor, traffic, BEFORE + 1, BEFORE + 1, 0);
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(1);

            pipe(monitor.models, withoutChunk(ModelSnapshotCodec.toRecords(MODEL + "@batch",
                    snapshot(VERSION + 1, false, 5000), CHUNKING), 2));
            events(monitor, traffic, BEFORE + 2, BEFORE + 2, 0);
            assertThat(monitor.counter("streamlearn.drift.invalid.models")).isEqualTo(1);
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(1);
            assertThat(BatchModels.version(monitor.driver.getKeyValueStore(DriftMonitorTopology.BATCH_MODEL_STORE),
                    MODEL, SnapshotSigning.none())).contains(new BatchModels.Published(VERSION, false));

            TrainingReference training = training(3000, 0, 57);
            training = new TrainingReference(MODEL, VERSION + 2, training.rows());
            pipe(monitor.references, withoutChunk(CHUNKING.split(MODEL, TrainingReferenceCodec.encode(training),
                    new byte[0]), 5));
            pipe(monitor.models, ModelSnapshotCodec.toRecords(MODEL + "@batch", snapshot(VERSION + 2, true, 5000),
                    CHUNKING));
            events(monitor, traffic, BEFORE + 3, BEFORE + 3, 0);
            assertThat(monitor.counter("streamlearn.drift.reference.fallbacks", "model", MODEL, "reason",
                    "unreadable")).isEqualTo(1);
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(2);
            assertThat(keys(monitor, DriftMonitorTopology.TRAINING_REFERENCE_STORE)).containsExactly(MODEL);
            assertThat(keys(monitor, DriftMonitorTopology.BATCH_MODEL_STORE)).containsExactly(MODEL + "@batch");
        }
    }

    /**
     * With {@code snapshot.signing.key} set, a batch version that nobody holding the key wrote is counted invalid and
     * moves nothing (it would reset the model's windows); the next, signed, version is the promotion.
     */
    @Test
    void withASigningKeyOnlyASignedBatchVersionMovesTheReference() {
        String key = "drift-monitor-test-key-of-32-bytes-or-more";
        SnapshotSigning signing = SnapshotSigning.of(key);
        try (MonitorDriver monitor = new MonitorDriver(small(SnapshotSigning.KEY, key), stateDir)) {
            Traffic traffic = new Traffic(58);
            events(monitor, traffic, 1, BEFORE, 0);

            monitor.models.pipeInput(MODEL + "@batch", snapshot(VERSION, false));
            events(monitor, traffic, BEFORE + 1, BEFORE + 1, 0);
            assertThat(monitor.counter("streamlearn.drift.invalid.models")).isEqualTo(1);
            assertThat(BatchModels.version(monitor.driver.getKeyValueStore(DriftMonitorTopology.BATCH_MODEL_STORE),
                    MODEL, signing)).isEmpty();

            monitor.models.pipeInput(MODEL + "@batch", signing.sign(snapshot(VERSION + 1, false)));
            events(monitor, traffic, BEFORE + 2, BEFORE + 2, 0);
            assertThat(monitor.counter("streamlearn.drift.invalid.models")).isEqualTo(1);
            assertThat(monitor.counter("streamlearn.drift.reference.resets", "model", MODEL)).isEqualTo(1);
            assertThat(BatchModels.version(monitor.driver.getKeyValueStore(DriftMonitorTopology.BATCH_MODEL_STORE),
                    MODEL, signing)).contains(new BatchModels.Published(VERSION + 1, false));
        }
    }

    private static void events(MonitorDriver monitor, Traffic traffic, int from, int to, double xShift) {
        traffic.xShift = xShift;
        for (int i = from; i <= to; i++) {
            traffic.next();
            monitor.events.pipeInput(MODEL, traffic.event(i, false), Traffic.time(i));
        }
    }

    /** What the retrainer writes in one transaction: the rows on drift-references, the version on models. */
    private static void promote(MonitorDriver monitor, TrainingReference training, boolean withRows) {
        if (withRows) {
            monitor.references.pipeInput(MODEL, TrainingReferenceCodec.encode(training));
        }
        monitor.models.pipeInput(MODEL + "@batch", snapshot(training.version(), withRows));
    }

    /** {@code rows} training rows of x ~ N(xMean, 1), offsets from {@link #TRAINING_OFFSET}, a second apart. */
    private static TrainingReference training(int rows, double xMean, long seed) {
        Random random = new Random(seed);
        List<TrainingReference.Row> read = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            read.add(new TrainingReference.Row(0, TRAINING_OFFSET + i, Traffic.START - 10_000_000L + 1000L * i,
                    Map.of("x", xMean + random.nextGaussian())));
        }
        return new TrainingReference(MODEL, VERSION, read);
    }

    private static Map<String, String> small(String key, String value) {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put(key, value);
        return settings;
    }

    private static void pipe(TestInputTopic<String, byte[]> topic, List<BlobChunking.Part> parts) {
        parts.forEach(part -> topic.pipeInput(part.key(), part.value()));
    }

    private static List<BlobChunking.Part> withoutChunk(List<BlobChunking.Part> parts, int index) {
        List<BlobChunking.Part> kept = new ArrayList<>(parts);
        assertThat(kept.remove(index).key()).isEqualTo(BlobChunking.chunkKey(kept.get(kept.size() - 1).key(), index));
        return kept;
    }

    private static List<String> keys(MonitorDriver monitor, String storeName) {
        List<String> keys = new ArrayList<>();
        KeyValueStore<String, byte[]> store = monitor.driver.getKeyValueStore(storeName);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    /** A batch version whose learner state is {@code stateBytes} seeded random bytes (several chunks of 1 KiB). */
    private static byte[] snapshot(long version, boolean withRows, int stateBytes) {
        byte[] state = new byte[stateBytes];
        new Random(version).nextBytes(state);
        ModelSnapshot snapshot = ModelSnapshotCodec.decode(snapshot(version, withRows));
        return ModelSnapshotCodec.encode(new ModelSnapshot(snapshot.metadata(), state));
    }

    private static byte[] snapshot(long version, boolean withRows) {
        FeatureSchema schema = new FeatureSchema(MODEL, FeatureSpec.nominal("y", List.of("a", "b")),
                List.of(FeatureSpec.numeric("x")));
        Map<String, Object> provenance = withRows ? Map.of(TrainingReference.PROVENANCE_KEY, Map.of("rows", 2000))
                : Map.of("dataVersion", Map.of());
        ModelMetadata metadata = new ModelMetadata(MODEL, version, "xgboost", schema, Map.of(), 0, 0, null, 0,
                ModelSnapshotCodec.FORMAT_VERSION, ModelMetadata.BATCH, provenance);
        return ModelSnapshotCodec.encode(new ModelSnapshot(metadata, new byte[] {1}));
    }

    private static List<String> signatures(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("kind").asText() + " " + a.get("feature").asText() + " "
                + a.get("statistic").asText() + " " + a.get("reference").get("fromPosition").asLong() + " "
                + a.get("reference").get("toPosition").asLong() + " " + a.get("current").get("fromPosition").asLong()
                + "-" + a.get("current").get("toPosition").asLong()).toList();
    }
}

package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.model.TrainingReferenceCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch promotion as the retrainer writes it, read by the drift monitor on a real KRaft broker with exactly-once
 * Kafka Streams: its training rows become the feature reference, and a promotion larger than a record reaches the
 * global stores whole. Every topic keeps Kafka's default record limit.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PromotionIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    /**
     * The retrainer's promotion as it writes it, one transaction: the training rows on {@code drift-references}, then
     * the version on {@code models}. Trained on x ~ N(0, 1) like the traffic before it; the traffic after it is
     * x ~ N(3, 1), alerted against the training rows (reference positions up to 0), as soon as a full current window
     * confirms it, where the reset from live traffic would have made the shifted traffic the reference.
     */
    @Test
    void aPromotionsTrainingRowsBecomeTheReferenceAndTheShiftAfterItIsAlertedAgainstThem() throws Exception {
        DriftMonitorConfig config = config("promote");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Traffic traffic = new Traffic(52);
        int[] produced = {0};
        produceEvents(config, traffic, produced, 3000, 0);
        try (DriftMonitorApplication monitor = DriftMonitorApplication.start(config, registry)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> monitor.reports().of(Traffic.MODEL)
                    .map(r -> r.current().toPosition() == 3000).orElse(false));
            promote(config, 1_700_000_500_000L);
            // The promotion is applied at the model's next record once the global store has it: calm events until then.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                produceEvents(config, traffic, produced, produced[0] + 20, 0);
                var resets = registry.find("streamlearn.drift.reference.resets").tag("model", Traffic.MODEL).counter();
                return resets != null && resets.count() == 1;
            });
            int promotedBy = produced[0];
            produceEvents(config, traffic, produced, promotedBy + 3000, 3);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    !CommittedRecords.readAll(broker.bootstrapServers(), config.alertsTopic()).isEmpty());

            List<JsonNode> alerts = new java.util.ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(broker.bootstrapServers(),
                    config.alertsTopic())) {
                alerts.add(JSON.readTree(record.value()));
            }
            assertThat(alerts).filteredOn(a -> a.get("feature").asText().equals("x")).singleElement()
                    .satisfies(alert -> {
                        assertThat(alert.get("reference").get("fromPosition").asLong()).isEqualTo(-1999);
                        assertThat(alert.get("reference").get("toPosition").asLong()).isZero();
                        assertThat(alert.get("reference").get("fromOffset").asLong()).isEqualTo(1000);
                        assertThat(alert.get("current").get("toPosition").asLong())
                                .isBetween(promotedBy + 1L, promotedBy + 2000L);
                    });
            assertThat(registry.get("streamlearn.drift.reference.fallbacks").tags("model", Traffic.MODEL, "reason",
                    "missing").counter().count()).isZero();
        }
    }

    /**
     * A promotion larger than a record, written as the retrainer writes it (chunked, one transaction, Kafka's default
     * limits): a 60,000-row training reference and a 2 MiB batch model reach the global stores whole, and again after
     * a restart (the global stores are rebuilt from their topics); the reference becomes the drift reference. A later
     * version missing a chunk is counted and leaves the promoted one in place.
     */
    @Test
    void aTrainingReferenceAndABatchModelLargerThanARecordReachTheGlobalStoresWhole() throws Exception {
        DriftMonitorConfig config = config("large");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftMetrics metrics = new DriftMetrics();
        metrics.bindTo(registry);
        LatestReports reports = new LatestReports();
        Traffic traffic = new Traffic(58);
        int[] produced = {0};
        produceEvents(config, traffic, produced, 3000, 0);
        long version = 1_700_000_600_000L;
        TrainingReference reference = largeReference(version, 60_000);
        byte[] rows = TrainingReferenceCodec.encode(reference);
        assertThat(rows.length).isGreaterThan(1 << 20);
        try (MonitorStreams monitor = start(config, metrics, reports)) {
            KafkaStreams streams = monitor.streams();
            await().atMost(Duration.ofSeconds(90)).until(() -> reports.of(Traffic.MODEL)
                    .map(r -> r.current().toPosition() == 3000).orElse(false));
            publish(config, version, rows, 2 << 20, -1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                produceEvents(config, traffic, produced, produced[0] + 20, 0);
                var resets = registry.find("streamlearn.drift.reference.resets").tag("model", Traffic.MODEL).counter();
                return resets != null && resets.count() == 1;
            });
            assertThat(registry.get("streamlearn.drift.reference.fallbacks").tags("model", Traffic.MODEL, "reason",
                    "missing").counter().count()).isZero();
            assertGlobalStores(streams, version, rows);

            publish(config, version + 1, rows, 2 << 20, 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var invalid = registry.find("streamlearn.drift.invalid.models").counter();
                return invalid != null && invalid.count() == 1;
            });
            assertGlobalStores(streams, version, rows);
            // A full current window after the promotion, compared with the training rows.
            produceEvents(config, traffic, produced, produced[0] + 1100, 0);
            await().atMost(Duration.ofSeconds(90)).until(() -> reports.of(Traffic.MODEL)
                    .map(r -> r.reference().toPosition() == 0 && r.current().toPosition() > 3000).orElse(false));
        }
        DriftMetrics again = new DriftMetrics();
        again.bindTo(new SimpleMeterRegistry());
        try (MonitorStreams restarted = start(config, again, new LatestReports())) {
            assertGlobalStores(restarted.streams(), version, rows);
        }
    }

    /** The drift monitor's topology in its own Kafka Streams client, running, so its global stores can be queried. */
    private static MonitorStreams start(DriftMonitorConfig config, DriftMetrics metrics, LatestReports reports) {
        KafkaStreams streams = new KafkaStreams(DriftMonitorTopology.build(config, metrics, reports),
                DriftMonitorTopology.streamsProperties(config));
        streams.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return new MonitorStreams(streams);
    }

    /**
     * Closes as the services' {@code RunningStreams} does, leaving the group: a plain {@code close()} does not, and the
     * restarted client then waits out the first one's session timeout (45 s) before it is given its tasks.
     */
    private record MonitorStreams(KafkaStreams streams) implements AutoCloseable {
        @Override
        public void close() {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }

    /**
     * The batch store holds the promoted version (and that its rows were published), the reference store the rows as
     * written; neither holds a chunk.
     */
    private static void assertGlobalStores(KafkaStreams streams, long version, byte[] rows) {
        ReadOnlyKeyValueStore<String, byte[]> batch = globalStore(streams, DriftMonitorTopology.BATCH_MODEL_STORE);
        ReadOnlyKeyValueStore<String, byte[]> references = globalStore(streams,
                DriftMonitorTopology.TRAINING_REFERENCE_STORE);
        await().atMost(Duration.ofSeconds(60)).until(() -> references.get(Traffic.MODEL) != null
                && BatchModels.version(batch, Traffic.MODEL, SnapshotSigning.none()).isPresent());
        assertThat(BatchModels.version(batch, Traffic.MODEL, SnapshotSigning.none())).contains(new BatchModels.Published(version, true));
        assertThat(references.get(Traffic.MODEL)).isEqualTo(rows);
        assertThat(keys(batch)).containsExactly(ModelKeys.batch(Traffic.MODEL));
        assertThat(keys(references)).containsExactly(Traffic.MODEL);
    }

    private static ReadOnlyKeyValueStore<String, byte[]> globalStore(KafkaStreams streams, String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    private static List<String> keys(ReadOnlyKeyValueStore<String, byte[]> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    /**
     * The retrainer's promotion, as RetrainOutput writes it: the training rows on {@code drift-references} and a batch
     * model whose learner state is {@code stateBytes} random bytes on {@code models}, both chunked, each chunk to its
     * key's partition, in one transaction; {@code dropChunk} (not negative) leaves that chunk of the model out.
     */
    private static void publish(DriftMonitorConfig config, long version, byte[] rows, int stateBytes, int dropChunk) {
        BlobChunking chunking = config.chunking();
        byte[] state = new byte[stateBytes];
        new Random(version).nextBytes(state);
        ModelMetadata metadata = new ModelMetadata(Traffic.MODEL, version, "xgboost", schema(), Map.of(), 0, 0, null, 0,
                ModelSnapshotCodec.FORMAT_VERSION, ModelMetadata.BATCH,
                Map.of(TrainingReference.PROVENANCE_KEY, Map.of("rows", 60_000)));
        List<BlobChunking.Part> model = new ArrayList<>(ModelSnapshotCodec.toRecords(ModelKeys.batch(Traffic.MODEL),
                ModelSnapshotCodec.encode(new ModelSnapshot(metadata, state)), chunking));
        if (dropChunk >= 0) {
            model.remove(dropChunk);
        }
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-retrainer-" + version);
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            ChunkedRecords.producerRecords(config.driftReferencesTopic(), 1,
                    chunking.split(Traffic.MODEL, rows, new byte[0])).forEach(producer::send);
            ChunkedRecords.producerRecords(config.modelsTopic(), 1, model).forEach(producer::send);
            producer.commitTransaction();
        }
    }

    /** {@code rows} train rows of x ~ N(0, 1) at offsets 0 onwards: about 29 bytes a row encoded. */
    private static TrainingReference largeReference(long version, int rows) {
        Random random = new Random(59);
        List<TrainingReference.Row> read = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            read.add(new TrainingReference.Row(0, i, Traffic.time(i + 1), Map.of("x", random.nextGaussian())));
        }
        return new TrainingReference(Traffic.MODEL, version, read);
    }

    private static FeatureSchema schema() {
        return new FeatureSchema(Traffic.MODEL, FeatureSpec.nominal("y", List.of("a", "b")),
                List.of(FeatureSpec.numeric("x")));
    }

    private static void produceEvents(DriftMonitorConfig config, Traffic traffic, int[] produced, int last,
            double xShift) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            traffic.xShift = xShift;
            for (int i = produced[0] + 1; i <= last; i++) {
                traffic.next();
                producer.send(new ProducerRecord<>(config.eventsTopic(), null, Traffic.time(i), Traffic.MODEL,
                        traffic.event(i, false)));
            }
        }
        produced[0] = last;
    }

    /** 3,000 train rows of x ~ N(0, 1) at offsets 0-2,999 (the newest 2,000 are the reference), and the version. */
    private static void promote(DriftMonitorConfig config, long version) {
        java.util.Random random = new java.util.Random(53);
        List<TrainingReference.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(new TrainingReference.Row(0, i, Traffic.time(i + 1), Map.of("x", random.nextGaussian())));
        }
        FeatureSchema schema = new FeatureSchema(Traffic.MODEL, FeatureSpec.nominal("y", List.of("a", "b")),
                List.of(FeatureSpec.numeric("x")));
        ModelMetadata metadata = new ModelMetadata(Traffic.MODEL, version, "xgboost", schema, Map.of(), 0, 0, null, 0,
                ModelSnapshotCodec.FORMAT_VERSION, ModelMetadata.BATCH,
                Map.of(TrainingReference.PROVENANCE_KEY, Map.of("rows", 3000)));
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-retrainer");
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(config.driftReferencesTopic(), Traffic.MODEL,
                    TrainingReferenceCodec.encode(new TrainingReference(Traffic.MODEL, version, rows))));
            producer.send(new ProducerRecord<>(config.modelsTopic(), Traffic.MODEL + "@batch",
                    ModelSnapshotCodec.encode(new ModelSnapshot(metadata, new byte[] {1}))));
            producer.commitTransaction();
        }
    }

    private DriftMonitorConfig config(String prefix) {
        return MonitorTopics.create(broker, stateDir, prefix);
    }
}

package io.streamlearn.drift.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.LatestReports;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import io.streamlearn.core.model.ModelCatalog;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The drift monitor: {@code events}, {@code predictions} and {@code labels} (all keyed by model, created by the trainer
 * with one partition count) → per-model feature, prediction and concept drift → {@code drift-alerts} and
 * {@code retrain-requests}, both keyed by model. One source over the three topics and a per-record step that keeps the
 * key, so no repartition: a model's records meet in the one task that holds its state. Batch versions on
 * {@code models} (keyed {@code <model>@batch}, so on another partition than the model's events) and their training
 * rows on {@code drift-references} reach every task through two global stores, assembled from their chunks there
 * ({@link GlobalChunks}). Model-sized state (a monitor's snapshot in {@code drift-state}) is stored chunked too, so every
 * record this application writes fits Kafka's default limits.
 */
public final class DriftMonitorTopology {

    static final String POSITION_STORE = "drift-positions";
    /** Each model's monitors: snapshots and the journal since (DurableMonitor). */
    static final String STATE_STORE = "drift-state";
    /** Predictions waiting for labels, and labels for predictions (LabelJoin). */
    static final String PENDING_STORE = "drift-pending";
    static final String BATCH_MODEL_STORE = "drift-batch-models";
    /** Each model's newest training reference, from {@code drift-references} (TrainingReferences). */
    static final String TRAINING_REFERENCE_STORE = "drift-training-references";

    private DriftMonitorTopology() {
    }

    public static Topology build(DriftMonitorConfig config, DriftMetrics metrics, LatestReports reports) {
        return build(config, new ModelCatalog(), metrics, reports);
    }

    /** @param catalog the models defined on the definitions topic (empty: any model is monitored) */
    public static Topology build(DriftMonitorConfig config, ModelCatalog catalog, DriftMetrics metrics,
            LatestReports reports) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, config, catalog, metrics, reports);
        return builder.build();
    }

    public static void build(StreamsBuilder builder, DriftMonitorConfig config, DriftMetrics metrics,
            LatestReports reports) {
        build(builder, config, new ModelCatalog(), metrics, reports);
    }

    public static void build(StreamsBuilder builder, DriftMonitorConfig config, ModelCatalog catalog,
            DriftMetrics metrics, LatestReports reports) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POSITION_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled().withLoggingEnabled(Map.of()));
        // Cached: a journal entry put and deleted between two commits never reaches the changelog.
        for (String store : List.of(STATE_STORE, PENDING_STORE)) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withCachingEnabled().withLoggingEnabled(Map.of()));
        }
        BlobChunking chunking = config.chunking();
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BATCH_MODEL_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(), config.modelsTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("models"),
                () -> new BatchModels.Updater(chunking, config.snapshotSigning(), metrics::invalidModel));
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TRAINING_REFERENCE_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(), config.driftReferencesTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("drift-references"),
                () -> new TrainingReferences.Updater(chunking));
        Produced<String, byte[]> out = Produced.with(Serdes.String(), Serdes.ByteArray());
        builder.stream(List.of(config.eventsTopic(), config.predictionsTopic(), config.labelsTopic()),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events-predictions-labels"))
                .processValues(() -> new DriftProcessor(config, catalog, metrics, reports), Named.as("drift"),
                        POSITION_STORE, STATE_STORE, PENDING_STORE)
                .split(Named.as("drift-"))
                .branch((model, output) -> output.target() == DriftOutput.Target.ALERT,
                        Branched.withConsumer(s -> s.mapValues(DriftOutput::value).to(config.alertsTopic(), out),
                                "alerts"))
                .defaultBranch(Branched.withConsumer(
                        s -> s.mapValues(DriftOutput::value).to(config.retrainRequestsTopic(), out), "retrain-requests"));
    }

    /** Kafka Streams settings: its own application id, exactly-once by default, then anything under {@code kafka.}. */
    public static Properties streamsProperties(DriftMonitorConfig config) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        properties.putAll(config.kafkaProperties());
        return properties;
    }
}

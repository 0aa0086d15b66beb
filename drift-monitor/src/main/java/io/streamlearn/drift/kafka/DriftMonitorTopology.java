package io.streamlearn.drift.kafka;

import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.MonitorSettings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The drift monitor: {@code events} (keyed by model) → per-model feature drift → {@code drift-alerts} and
 * {@code retrain-requests}, both keyed by model. A per-record step that keeps the key, so no repartition: a model's
 * events stay in the one task that holds its windows.
 */
public final class DriftMonitorTopology {

    static final String POSITION_STORE = "drift-positions";

    private DriftMonitorTopology() {
    }

    public static Topology build(DriftMonitorConfig config, DriftMetrics metrics, LatestReports reports) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, config, metrics, reports);
        return builder.build();
    }

    public static void build(StreamsBuilder builder, DriftMonitorConfig config, DriftMetrics metrics,
            LatestReports reports) {
        MonitorSettings settings = config.monitorSettings();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POSITION_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled().withLoggingEnabled(Map.of()));
        Produced<String, byte[]> out = Produced.with(Serdes.String(), Serdes.ByteArray());
        builder.stream(config.eventsTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events"))
                .processValues(() -> new DriftProcessor(config.maxRecordBytes(), settings, metrics, reports),
                        Named.as("feature-drift"), POSITION_STORE)
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

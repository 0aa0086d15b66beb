package io.streamlearn.drift.kafka;

import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A drift monitor's configuration under a topic prefix, and its topics with Kafka's default record limit. */
final class MonitorTopics {

    /** Kafka's default {@code message.max.bytes}, set on each topic whatever the shared broker allows. */
    private static final Map<String, String> DEFAULT_LIMIT = Map.of("max.message.bytes", "1048588");

    private MonitorTopics() {
    }

    /** Small windows ({@link PredictionAndConceptDriftTopologyTest#SMALL}), state under {@code stateDir/prefix}. */
    static DriftMonitorConfig create(EmbeddedKafkaBroker broker, Path stateDir, String prefix) {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.putAll(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "topic.events", prefix + ".events",
                "topic.predictions", prefix + ".predictions",
                "topic.labels", prefix + ".labels",
                "topic.models", prefix + ".models",
                "topic.drift.alerts", prefix + ".drift-alerts",
                "topic.retrain.requests", prefix + ".retrain-requests",
                "topic.drift.references", prefix + ".drift-references",
                "kafka.state.dir", stateDir.resolve(prefix).toString(),
                "kafka.commit.interval.ms", "200"));
        settings.put("drift.application.id", "drift-" + prefix);
        DriftMonitorConfig config = DriftMonitorConfig.of(settings);
        for (String topic : List.of(config.eventsTopic(), config.predictionsTopic(), config.labelsTopic())) {
            broker.createTopic(topic, 1, DEFAULT_LIMIT);
        }
        Map<String, String> compacted = new HashMap<>(DEFAULT_LIMIT);
        compacted.put("cleanup.policy", "compact");
        broker.createTopic(config.modelsTopic(), 1, compacted);
        broker.createTopic(config.driftReferencesTopic(), 1, compacted);
        DriftTopics.createMissing(config, 1, (short) 1);
        return config;
    }
}

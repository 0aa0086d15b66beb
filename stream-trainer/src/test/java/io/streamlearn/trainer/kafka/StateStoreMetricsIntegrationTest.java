package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer keeps RocksDB and in-memory stores, and Kafka Streams tags their meters with a key named after the store
 * type. On the process's Prometheus page ({@link Telemetry}) a metric both types report must show every store, not
 * only those of the type registered first.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class StateStoreMetricsIntegrationTest {

    private static final String STATE_GROUP = "stream-state-metrics";
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @Test
    void everyStateStoreOfTheTrainerIsOnThePrometheusPageWhateverItsType() {
        TrainerConfig config = TrainerConfig.of(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "trainer-store-meters",
                "topic.events", "meters.events",
                "topic.labels", "meters.labels",
                "topic.predictions", "meters.predictions",
                "topic.dlq", "meters.dlq",
                "topic.models", "meters.models",
                "kafka.state.dir", stateDir.toString()));
        TrainerTopics.createMissing(config, 1, (short) 1);
        KafkaStreams streams = new KafkaStreams(TrainerTopology.build(config,
                List.of(TestModels.definition("bayes.NaiveBayes")), new TrainerMetrics()),
                TrainerTopology.streamsProperties(config));
        try (Telemetry telemetry = Telemetry.create()) {
            streams.start();
            // Store meters exist once the task has initialised its stores; the binder then registers what it finds.
            await().atMost(Duration.ofSeconds(60)).until(() -> !storesOfMetricsBothTypesReport(streams).isEmpty());
            Map<String, Set<String>> storesByMetric = storesOfMetricsBothTypesReport(streams);
            try (KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams)) {
                binder.bindTo(telemetry.registry());
                String page = telemetry.registry().scrape();

                storesByMetric.forEach((metric, stores) -> {
                    String series = "kafka_stream_state_" + metric.replace('-', '_') + "{";
                    for (String store : stores) {
                        assertThat(page.lines().filter(line -> line.startsWith(series)))
                                .as("series of %s", metric)
                                .anyMatch(line -> line.contains("state_id=\"" + store + "\""));
                    }
                });
            }
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }

    /**
     * The state-store metrics that both a RocksDB store and an in-memory store of the client report, each with the
     * names of the stores that report it.
     */
    private static Map<String, Set<String>> storesOfMetricsBothTypesReport(KafkaStreams streams) {
        Map<String, Set<String>> typesByMetric = new HashMap<>();
        Map<String, Set<String>> storesByMetric = new TreeMap<>();
        for (MetricName name : streams.metrics().keySet()) {
            if (!STATE_GROUP.equals(name.group())) {
                continue;
            }
            for (String type : List.of("rocksdb-state-id", "in-memory-state-id")) {
                if (name.tags().containsKey(type)) {
                    typesByMetric.computeIfAbsent(name.name(), metric -> new TreeSet<>()).add(type);
                    storesByMetric.computeIfAbsent(name.name(), metric -> new TreeSet<>()).add(name.tags().get(type));
                }
            }
        }
        storesByMetric.keySet().removeIf(metric -> typesByMetric.get(metric).size() < 2);
        return storesByMetric;
    }
}

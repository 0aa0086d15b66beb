package io.streamlearn.drift.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.LatestReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The monitor's topology in a {@link TopologyTestDriver}, with its input and output topics and its meters. */
final class MonitorDriver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STORES = List.of(DriftMonitorTopology.POSITION_STORE,
            DriftMonitorTopology.STATE_STORE, DriftMonitorTopology.PENDING_STORE);

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final LatestReports reports = new LatestReports();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> events;
    final TestInputTopic<String, byte[]> predictions;
    final TestInputTopic<String, byte[]> labels;
    final TestInputTopic<String, byte[]> models;
    final TestInputTopic<String, byte[]> references;
    private final TestOutputTopic<String, byte[]> alerts;
    private final TestOutputTopic<String, byte[]> retrainRequests;

    MonitorDriver(Map<String, String> settings, Path stateDir) {
        this(settings, stateDir, new io.streamlearn.core.model.ModelCatalog());
    }

    /** @param catalog the models the definitions topic defines, which the test may change while the driver runs */
    MonitorDriver(Map<String, String> settings, Path stateDir, io.streamlearn.core.model.ModelCatalog catalog) {
        DriftMonitorConfig config = DriftMonitorConfig.of(settings);
        DriftMetrics metrics = new DriftMetrics();
        metrics.bindTo(registry);
        var properties = DriftMonitorTopology.streamsProperties(config);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DriftMonitorTopology.build(config, catalog, metrics, reports), properties);
        StringSerializer keys = new StringSerializer();
        ByteArraySerializer values = new ByteArraySerializer();
        events = driver.createInputTopic("events", keys, values);
        predictions = driver.createInputTopic("predictions", keys, values);
        labels = driver.createInputTopic("labels", keys, values);
        models = driver.createInputTopic("models", keys, values);
        references = driver.createInputTopic("drift-references", keys, values);
        alerts = driver.createOutputTopic("drift-alerts", new StringDeserializer(), new ByteArrayDeserializer());
        retrainRequests = driver.createOutputTopic("retrain-requests", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    List<JsonNode> alerts() {
        return alerts.readValuesToList().stream().map(MonitorDriver::json).toList();
    }

    List<JsonNode> retrainRequests() {
        return retrainRequests.readValuesToList().stream().map(MonitorDriver::json).toList();
    }

    double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    /** Every entry of the monitor's changelogged stores: what a restarted instance restores from the changelogs. */
    Map<String, Map<String, Object>> storeContents() {
        Map<String, Map<String, Object>> contents = new HashMap<>();
        for (String name : STORES) {
            KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
            Map<String, Object> entries = new HashMap<>();
            try (KeyValueIterator<String, Object> all = store.all()) {
                all.forEachRemaining(entry -> entries.put(entry.key, entry.value));
            }
            contents.put(name, entries);
        }
        return contents;
    }

    void restore(Map<String, Map<String, Object>> contents) {
        contents.forEach((name, entries) -> {
            KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
            entries.forEach((key, value) -> store.put(key, value));
        });
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}

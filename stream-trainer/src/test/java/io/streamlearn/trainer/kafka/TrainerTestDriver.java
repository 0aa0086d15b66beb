package io.streamlearn.trainer.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The trainer's topology on a {@link TopologyTestDriver}, as the topology tests run it: with the trainer's Streams
 * settings but at-least-once (the driver commits after every record either way), in the test's own state directory
 * (the default one under /tmp is shared by every build on the machine), its metrics in the test's registry, its
 * topics read and written as bytes.
 */
final class TrainerTestDriver {

    private TrainerTestDriver() {
    }

    /** The trainer following {@code catalog}, which the test changes as the definitions topic would. */
    static TopologyTestDriver start(TrainerConfig config, ModelCatalog catalog, Path stateDir, MeterRegistry registry) {
        return new TopologyTestDriver(TrainerTopology.build(config, catalog, metrics(registry)),
                properties(config, stateDir));
    }

    /** The trainer of a fixed set of models. */
    static TopologyTestDriver start(TrainerConfig config, List<ModelDefinition> models, Path stateDir,
            MeterRegistry registry) {
        return new TopologyTestDriver(TrainerTopology.build(config, models, metrics(registry)),
                properties(config, stateDir));
    }

    static TestInputTopic<String, byte[]> input(TopologyTestDriver driver, String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    static TestOutputTopic<String, byte[]> output(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static TrainerMetrics metrics(MeterRegistry registry) {
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        return metrics;
    }

    private static Properties properties(TrainerConfig config, Path stateDir) {
        Properties properties = TrainerTopology.streamsProperties(config);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return properties;
    }
}

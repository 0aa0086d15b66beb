package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.kafka.RunningStreams;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.ShardStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shards' side of sharded ensembles on a real broker: a shard step sent under a definition that this trainer's
 * copy of the definitions never reaches (its follower is stuck) stops the trainer, as its other fatal errors do.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ShardProcessorIntegrationTest {

    private static final String SHARDED = "sharded";
    /** Short, so the test takes seconds; the trainer's default is {@link ShardProcessor#DEFINITION_WAIT}. */
    private static final Duration DEFINITION_WAIT = Duration.ofSeconds(1);
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    /**
     * Another instance, whose follower has read the model's reset (generation 2), sends a step of generation 2; this
     * one's follower stays at generation 1. The shard waits for the definition, then its Streams client stops with
     * the reason, so liveness answers 503 and an orchestrator restarts the process (which follows the definitions
     * again) rather than the shard skipping or mislearning the step.
     */
    @Test
    void aStepWhoseDefinitionThisTrainerNeverLearnsStopsTheTrainerAndLivenessSaysWhy() throws Exception {
        TrainerConfig config = config();
        TrainerTopics.createMissing(config, 1, (short) 1);
        ModelDefinition definition = new ModelDefinition(TestModels.schema().withModel(SHARDED), "meta.OzaBag -s 2")
                .withShards(2);
        ModelCatalog catalog = ModelCatalog.of(List.of(definition));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        try (RunningStreams trainer = RunningStreams.start("trainer",
                TrainerTopology.build(config, catalog, metrics, DEFINITION_WAIT),
                TrainerTopology.streamsProperties(config), registry);
                KafkaProducer<String, byte[]> producer = producer()) {
            Liveness liveness = Liveness.of(trainer.failure());
            liveness.bindTo(registry);

            // The shards answer a step of the generation this trainer knows: a prediction from both votes.
            producer.send(new ProducerRecord<>(config.eventsTopic(), SHARDED, event("e0"))).get();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    CommittedRecords.readAll(broker.bootstrapServers(), config.predictionsTopic()).size() == 1);
            assertThat(liveness.failure()).isEmpty();

            byte[] step = ShardStep.event(2, "e1", 0, 1, System.currentTimeMillis(), new double[] {0.5, 0}, 0)
                    .encode();
            producer.send(new ProducerRecord<>(config.shardStepsTopic(), SHARDED + "#1", step)).get();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> liveness.failure().isPresent());
            assertThat(liveness.failure().get()).contains("trainer's Kafka Streams client stopped",
                    "model 'sharded' generation 2", "within 1000 ms", config.definitionsTopic());
            assertThat(trainer.isAlive()).isFalse();
            assertThat(registry.get("streamlearn.service.alive").tag("part", "trainer").gauge().value()).isZero();
        }
    }

    private TrainerConfig config() {
        String name = "lagging";
        return TrainerConfig.of(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "shard.enabled", "true",
                "application.id", "trainer-" + name,
                "topic.events", name + ".events",
                "topic.labels", name + ".labels",
                "topic.predictions", name + ".predictions",
                "topic.dlq", name + ".dlq",
                "topic.models", name + ".models",
                "kafka.state.dir", stateDir.toString()));
    }

    /** An event labelled inline, stamped now (the broker's retention would delete an old one). */
    private static byte[] event(String id) {
        return ("{\"id\":\"" + id + "\",\"ts\":" + System.currentTimeMillis() + ",\"model\":\"" + SHARDED
                + "\",\"features\":{\"x\":0.5,\"color\":\"red\"},\"label\":\"yes\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}

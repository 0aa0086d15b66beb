package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.GeneratedArff;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code streamlearn models ...} against a real broker, and trainers that share one application id. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ModelsCommandIntegrationTest {

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void createUpdateListAndDeleteWithTheStateChecks() throws Exception {
        Path schema = temp.resolve("electricity.json");
        Dataset.read(BundledDatasets.electricityArff(), "power", null).schema().write(schema);
        String topic = "definitions-cli";

        assertThat(models(topic, "create", "--schema", schema.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Defined model 'power' (generation 1, version 1)");
        assertThat(models(topic, "create", "--schema", schema.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("model 'power' is already defined");

        assertThat(models(topic, "update", "--schema", schema.toString(), "--learner", "bayes.NaiveBayes"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("learner 'trees.HoeffdingTree' is now 'bayes.NaiveBayes'")
                .contains("--reset");
        assertThat(models(topic, "update", "--schema", schema.toString())).isZero();
        assertThat(out.toString()).contains("nothing written");
        assertThat(models(topic, "update", "--schema", schema.toString(), "--learner", "bayes.NaiveBayes",
                "--reset")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("now generation 2, version 2, started afresh");

        assertThat(models(topic, "list")).isZero();
        assertThat(out.toString()).containsPattern("power +classification +2 +2 +8 +bayes.NaiveBayes");
        assertThat(models(topic, "list", "--json")).isZero();
        assertThat(out.toString()).contains("\"model\":\"power\"").contains("\"learner\":\"bayes.NaiveBayes\"");

        assertThat(models(topic, "delete", "--model", "power")).isZero();
        assertThat(models(topic, "list")).isZero();
        assertThat(out.toString()).doesNotContain("power");
        assertThat(models(topic, "delete", "--model", "power")).isEqualTo(1);
        assertThat(models(topic, "create", "--schema", schema.toString())).isZero();
        assertThat(out.toString()).as("a name defined again starts a new generation")
                .contains("Defined model 'power' (generation 3, version 4)");

        assertThat(models(topic, "update", "--schema", schema.toString(), "--learner",
                "meta.AdaptiveRandomForest -s 6", "--shards", "3")).isEqualTo(1);
        assertThat(err.toString()).contains("shards 0 are now 3");
        assertThat(models(topic, "update", "--schema", schema.toString(), "--learner", "meta.OzaBoost -s 6",
                "--shards", "3", "--reset")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot be sharded");
        assertThat(models(topic, "update", "--schema", schema.toString(), "--learner",
                "meta.AdaptiveRandomForest -s 6", "--shards", "3", "--reset")).as(err.toString()).isZero();
        assertThat(err.toString()).as("no trainer of the application has created the shard topics")
                .contains("shard.enabled=true", "dead-lettered");
        assertThat(models(topic, "list")).isZero();
        assertThat(out.toString()).contains("meta.AdaptiveRandomForest -s 6 (3 shards)");
    }

    /**
     * The setting of issue #12 ("#16" here): two {@code train --schema} processes with different models and default
     * settings share one application id and one consumer group. Each defines its model on the topic and trains every
     * model defined there, so both models are trained, whichever instance owns which partition.
     */
    @Test
    void twoTrainersWithDifferentSchemasAndOneApplicationIdTrainBothModels() throws Exception {
        Path treeData = temp.resolve("tree.arff");
        GeneratedArff.write("generators.RandomTreeGenerator -r 3 -i 3 -c 2 -o 2 -v 4 -u 3", 1_000, treeData);
        Dataset power = Dataset.read(BundledDatasets.electricityArff(), "power", null).limit(1_000);
        Dataset tree = Dataset.read(treeData, "tree", null);
        TrainerConfig config = config("shared", "first");
        // The second instance: the same application, topics and settings, its own state directory.
        TrainerConfig other = config("shared", "second");
        TrainerTopics.createMissing(config, 2, (short) 1);
        FollowerSettings kafka = new FollowerSettings(broker.bootstrapServers(), Map.of());
        for (Dataset data : List.of(power, tree)) {
            // What `train --schema` does before it starts.
            try (DefinitionWriter writer = new DefinitionWriter(kafka, config.definitionsTopic(), 1, (short) 1,
                    Duration.ofSeconds(30))) {
                writer.define(new ModelDefinition(data.schema(), "trees.HoeffdingTree"));
            }
        }
        try (DefinitionFollower first = follower(kafka, config); DefinitionFollower second = follower(kafka, config);
                TrainerApplication a = TrainerApplication.start(config, first.catalog(), new SimpleMeterRegistry());
                TrainerApplication b = TrainerApplication.start(other, second.catalog(), new SimpleMeterRegistry())) {
            for (Dataset data : List.of(power, tree)) {
                try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(),
                        new EventReplayer.ReplayOptions(config.eventsTopic(), config.labelsTopic(),
                                data.schema().model(), 0, 0))) {
                    replayer.replay(data, () -> 1_700_000_000_000L);
                }
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> perModel(config.predictionsTopic())
                    .equals(Map.of("power", 1_000, "tree", 1_000)));
        }
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.deadLetterTopic())).isEmpty();
    }

    /**
     * A model created with {@code models create} while a trainer and a server run is trained and served without a
     * restart; deleted, it is no longer served and its records are dead-lettered as {@code unknown_model}.
     */
    @Test
    void aModelCreatedWhileTheServicesRunIsTrainedAndServedAndOnceDeletedNeither() throws Exception {
        TrainerConfig config = config("live", "live");
        TrainerTopics.createMissing(config, 2, (short) 1);
        Path schema = temp.resolve("live.json");
        Dataset data = Dataset.read(BundledDatasets.electricityArff(), "live", null).limit(600);
        data.schema().write(schema);
        FollowerSettings kafka = new FollowerSettings(broker.bootstrapServers(), Map.of());
        Map<String, String> serving = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "http.host", "127.0.0.1", "http.port", "0", "topic.models", config.modelsTopic(),
                "topic.definitions", config.definitionsTopic(), "topic.pins", "live.pins"));
        try (DefinitionFollower definitions = follower(kafka, config);
                TrainerApplication trainer = TrainerApplication.start(config, definitions.catalog(),
                        new SimpleMeterRegistry());
                PredictionServer server = PredictionServer.start(ServingConfig.fromMap(serving),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            assertThat(definitions.catalog().definitions()).isEmpty();
            assertThat(models(config.definitionsTopic(), "create", "--schema", schema.toString())).as(err.toString())
                    .isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> definitions.catalog().isDefined("live"));
            replay(config, data);
            await().atMost(Duration.ofSeconds(90)).until(() -> server.models().find("live")
                    .map(model -> model.metadata().eventsSeen() == 600).orElse(false));

            assertThat(models(config.definitionsTopic(), "delete", "--model", "live")).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.models().find("live").isEmpty());
            replay(config, data.limit(10));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    CommittedRecords.readAll(broker.bootstrapServers(), config.deadLetterTopic()).size() == 10);
            assertThat(server.models().find("live")).as("its old snapshots are not taken again").isEmpty();
        }
        assertThat(perModel(config.predictionsTopic())).containsEntry("live", 600);
    }

    private void replay(TrainerConfig config, Dataset data) throws InterruptedException {
        try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                config.eventsTopic(), config.labelsTopic(), data.schema().model(), 0, 0))) {
            replayer.replay(data, () -> 1_700_000_000_000L);
        }
    }

    private static DefinitionFollower follower(FollowerSettings kafka, TrainerConfig config) {
        return new DefinitionFollower(kafka, config.definitionsTopic(), "definitions", new ModelCatalog())
                .startAndCatchUp(Duration.ofSeconds(30));
    }

    private static Map<String, Integer> perModel(String topic) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(broker.bootstrapServers(), topic)) {
            counts.merge(record.key(), 1, Integer::sum);
        }
        return counts;
    }

    private TrainerConfig config(String name, String instance) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        for (String topic : List.of("events", "labels", "predictions", "dlq", "models", "definitions")) {
            settings.put("topic." + topic, name + "." + topic);
        }
        settings.put("kafka.state.dir", temp.resolve(instance + "-state").toString());
        settings.put("snapshot.interval.ms", "500");
        return TrainerConfig.of(settings);
    }

    /** Runs {@code streamlearn models <args>} in this JVM; {@link #out} and {@link #err} hold what it printed. */
    private int models(String topic, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = StreamlearnCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        // The subcommand's own flags go after its name: models <verb> --bootstrap-servers ... <args>.
        String[] full = new String[args.length + 5];
        full[0] = "models";
        full[1] = args[0];
        full[2] = "--bootstrap-servers";
        full[3] = broker.bootstrapServers();
        full[4] = "--set";
        full[5] = "topic.definitions=" + topic;
        System.arraycopy(args, 1, full, 6, args.length - 1);
        return command.execute(full);
    }
}

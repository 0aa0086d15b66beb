package io.streamlearn.cli;

import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.definitions.DefinitionRefusedException;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The online trainer against an existing cluster, with the prediction server in the same process. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Run the exactly-once online trainer (and the prediction server) against a Kafka cluster.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--schema", paramLabel = "FILE",
            description = "Feature schema (JSON). Without it, the schema comes from --data's header (ARFF) or values (CSV)")
    Path schemaFile;

    @Mixin
    DataOptions data;

    @Option(names = "--learner", paramLabel = "SPEC",
            description = "MOA learner as a CLI spec (default: " + LearnerFactory.DEFAULT_SPEC + " for a nominal target, "
                    + LearnerFactory.DEFAULT_REGRESSION_SPEC + " for a numeric one, "
                    + LearnerFactory.DEFAULT_ANOMALY_SPEC + " for anomalies, " + LearnerFactory.DEFAULT_CLUSTER_SPEC
                    + " for clusters)")
    String learner;

    @Option(names = "--defined-models-only",
            description = "Define no model from --schema or --data: train the models defined on the definitions topic "
                    + "(streamlearn models create), as every instance of a scaled-out deployment does")
    boolean definedModelsOnly;

    @Option(names = "--port", paramLabel = "P",
            description = "HTTP port for predictions, health and /metrics, 0 for a free one; the key http.port "
                    + "(default: 8080) when left out")
    Integer port;

    @Mixin
    SettingsOptions settings;

    @Mixin
    TopicOptions topics;

    @Override
    public Integer call() throws Exception {
        Map<String, String> merged = settings.merged(kafka.flag(),
                new SettingsOptions.Flag("--port", ServingConfig.HTTP_PORT, port));
        TrainerConfig config = TrainerConfig.of(merged).validate();
        // The in-process server reads the same settings (Kafka credentials, topic.* and http.* keys included).
        ServingConfig serving = ServingConfig.fromMap(merged);
        TrainerTopics.createMissing(config, topics.partitions(), topics.replication());
        FollowerSettings kafkaSettings = config.followerSettings();
        String defined = "the models defined on topic " + config.definitionsTopic();
        if (!definedModelsOnly) {
            // `train --schema` as before: the model is defined on the topic (refused if defined otherwise), and this
            // trainer trains it with every other model defined there.
            ModelDefinition model = data.definition(schemaFile, learner, config);
            try (DefinitionWriter writer = new DefinitionWriter(kafkaSettings, config.definitionsTopic(), 1,
                    topics.replication(), DefinitionFollower.DEFAULT_CATCH_UP)) {
                writer.define(model);
            } catch (DefinitionRefusedException e) {
                System.err.println("Refused: " + e.getMessage());
                return 1;
            }
            defined = "model '" + model.name() + "' with " + model.learnerSpec() + " and " + defined;
        }
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                DefinitionFollower definitions = new DefinitionFollower(kafkaSettings, config.definitionsTopic(),
                        "streamlearn-trainer-definitions", new ModelCatalog()).startAndCatchUp(
                                DefinitionFollower.DEFAULT_CATCH_UP);
                TrainerApplication trainer = TrainerApplication.start(config, definitions.catalog(),
                        telemetry.registry());
                PredictionServer server = PredictionServer.start(serving, telemetry.registry(), List.of(),
                        Liveness.of(trainer.failure()).and(definitions.liveness()), Readiness.of(() ->
                                trainer.isAlive() ? Optional.empty() : Optional.of("the trainer is " + trainer.state()),
                                List::of))) {
            System.out.println("Training " + defined + " from topic " + config.eventsTopic() + " on "
                    + config.bootstrapServers() + "; HTTP on port " + server.port());
            shutdown.await();
        }
        return 0;
    }
}

package io.streamlearn.cli;

import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.trainer.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        FeatureSchema schema = schema();
        String learner = LearnerFactory.specOrDefault(this.learner, schema.task());
        ModelDefinition model = new ModelDefinition(schema, learner, config.alertRule(schema.model()));
        TrainerTopics.createMissing(config, topics.partitions(), topics.replication());
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                TrainerApplication trainer = TrainerApplication.start(config, List.of(model), telemetry.registry());
                PredictionServer server = PredictionServer.start(serving,
                        telemetry.registry(), List.of(), Liveness.of(trainer.failure()))) {
            System.out.println("Training model '" + model.name() + "' with " + learner + " from topic "
                    + config.eventsTopic() + " on " + config.bootstrapServers() + "; HTTP on port " + server.port());
            shutdown.await();
        }
        return 0;
    }

    private FeatureSchema schema() throws IOException {
        if (schemaFile != null) {
            FeatureSchema schema = data.withTask(FeatureSchema.read(schemaFile));
            return data.model == null ? schema : schema.withModel(data.model);
        }
        return data.read().schema();
    }
}

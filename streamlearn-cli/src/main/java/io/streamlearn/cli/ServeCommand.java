package io.streamlearn.cli;

import io.streamlearn.cli.SettingsOptions.Flag;
import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A serve-only replica: follows the models topic and answers predictions. Run as many as load needs. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve predictions from the newest model snapshots on the 'models' topic of a Kafka cluster.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    SettingsOptions settings;

    @Option(names = "--port", paramLabel = "P",
            description = "HTTP port, 0 for a free one; the key http.port (default: 8080) when left out")
    Integer port;

    @Option(names = "--models-topic", description = "Snapshot topic (default: models)")
    String modelsTopic;

    @Option(names = "--keep-versions", paramLabel = "K",
            description = "Versions of each model held for versions/{v} routes and rollback (default: 3)")
    Integer keepVersions;

    @Option(names = "--pins-topic",
            description = "Compacted topic of pinned versions, shared by all replicas (default: model-pins)")
    String pinsTopic;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File holding the bearer token of the admin routes (pin, rollback); without it they are "
                    + "disabled (403)")
    Path adminTokenFile;

    @Option(names = "--labels-token-file", paramLabel = "FILE",
            description = "File holding the bearer token POST /v1/models/{name}/labels requires; without it labels "
                    + "are accepted from anyone who reaches the port")
    Path labelsTokenFile;

    @Option(names = "--log-sample-rate", paramLabel = "RATE",
            description = "Share of served predictions written to the predictions topic, 0 to 1 (default: 1.0)")
    Double logSampleRate;

    @Override
    public Integer call() throws Exception {
        ServingConfig config = ServingConfig.fromMap(settings.merged(flags()));
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                PredictionServer server = PredictionServer.start(config, telemetry.registry())) {
            System.out.println("Serving models from topic " + config.modelsTopic() + " on " + config.bootstrapServers()
                    + "; HTTP on port " + server.port());
            shutdown.await();
        }
        return 0;
    }

    /** The flags as shorthands of their keys; flags left out leave the file, environment and --set values. */
    private Flag[] flags() throws IOException {
        return new Flag[] {kafka.flag(), new Flag("--port", ServingConfig.HTTP_PORT, port),
            new Flag("--models-topic", ServingConfig.MODELS_TOPIC, modelsTopic),
            new Flag("--keep-versions", ServingConfig.KEEP_VERSIONS, keepVersions),
            new Flag("--pins-topic", ServingConfig.PINS_TOPIC, pinsTopic),
            new Flag("--admin-token-file", ServingConfig.ADMIN_TOKEN, token(adminTokenFile)),
            new Flag("--labels-token-file", ServingConfig.LABELS_TOKEN, token(labelsTokenFile)),
            new Flag("--log-sample-rate", ServingConfig.LOG_SAMPLE_RATE, logSampleRate)};
    }

    /** Read from a file, not the command line, so the token stays out of process listings and shell history. */
    private static String token(Path file) throws IOException {
        return file == null ? null : Files.readString(file).strip();
    }
}

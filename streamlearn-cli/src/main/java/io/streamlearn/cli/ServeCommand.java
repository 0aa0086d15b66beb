package io.streamlearn.cli;

import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.metrics.Telemetry;
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

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
            description = "HTTP port, 0 for a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--models-topic", defaultValue = "models", description = "Snapshot topic (default: ${DEFAULT-VALUE})")
    String modelsTopic;

    @Option(names = "--keep-versions", paramLabel = "K", defaultValue = "3",
            description = "Versions of each model held for versions/{v} routes and rollback (default: ${DEFAULT-VALUE})")
    int keepVersions;

    @Option(names = "--pins-topic", defaultValue = "model-pins",
            description = "Compacted topic of pinned versions, shared by all replicas (default: ${DEFAULT-VALUE})")
    String pinsTopic;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File holding the bearer token of the admin routes (pin, rollback); without it they are "
                    + "disabled (403)")
    Path adminTokenFile;

    @Option(names = "--log-sample-rate", paramLabel = "RATE", defaultValue = "1.0",
            description = "Share of served predictions written to the predictions topic, 0 to 1 (default: "
                    + "${DEFAULT-VALUE})")
    double logSampleRate;

    @Override
    public Integer call() throws Exception {
        ServingConfig config = ServingConfig.defaults().withHttpPort(port).withBootstrapServers(kafka.bootstrapServers())
                .withModelsTopic(modelsTopic).withKeepVersions(keepVersions).withPinsTopic(pinsTopic)
                .withAdminToken(adminToken()).withLogSampleRate(logSampleRate).validate();
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                PredictionServer server = PredictionServer.start(config, telemetry.registry())) {
            System.out.println("Serving models from topic " + modelsTopic + " on " + kafka.bootstrapServers()
                    + "; HTTP on port " + server.port());
            shutdown.await();
        }
        return 0;
    }

    /** Read from a file, not the command line, so the token stays out of process listings and shell history. */
    private String adminToken() throws IOException {
        return adminTokenFile == null ? null : Files.readString(adminTokenFile).strip();
    }
}

package io.streamlearn.cli;

import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.metrics.Telemetry;
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

    @Override
    public Integer call() throws Exception {
        ServingConfig config = ServingConfig.defaults().withHttpPort(port).withBootstrapServers(kafka.bootstrapServers())
                .withModelsTopic(modelsTopic).validate();
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                PredictionServer server = PredictionServer.start(config, telemetry.registry())) {
            System.out.println("Serving models from topic " + modelsTopic + " on " + kafka.bootstrapServers()
                    + "; HTTP on port " + server.port());
            shutdown.await();
        }
        return 0;
    }
}

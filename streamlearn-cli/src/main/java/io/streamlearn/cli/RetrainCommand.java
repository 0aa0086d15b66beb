package io.streamlearn.cli;

import io.streamlearn.core.config.Settings;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.Retrainer;
import io.streamlearn.retrain.http.RetrainHttpServer;
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import io.streamlearn.serve.metrics.Telemetry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The retraining service against an existing cluster, standalone (not inside the drift monitor's process): any number
 * of instances share the models by partition of {@code retrain-requests}.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Answer retrain-requests (drift, schedule, admin): train an XGBoost challenger on the window read "
                + "back from Kafka, record the run on training-runs, publish and pin it when it beats the champions.")
final class RetrainCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Retrainer properties file (keys in docs/retraining.md)")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set retrain.window.max-rows=50000 --set admin.token=...")
    Map<String, String> settings = new HashMap<>();

    @Option(names = "--port", paramLabel = "P", defaultValue = "8083",
            description = "HTTP port for /v1/runs, /runs, POST /v1/models/{name}/retrain, /health and /metrics, 0 for a "
                    + "free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--partitions", defaultValue = "1",
            description = "Partitions for retrain-requests and training-runs when created (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replication factor for topics created when missing (default: ${DEFAULT-VALUE})")
    short replication;

    /** Counted down by Ctrl-C, or by {@link #stop()}. */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile int actualPort;

    @Override
    public Integer call() throws Exception {
        Map<String, String> explicit = new HashMap<>(settings);
        explicit.put("bootstrap.servers", kafka.bootstrapServers());
        RetrainConfig config =
                RetrainConfig.of(Settings.merge(Settings.read(configFile), System.getenv(), explicit)).validate();
        BatchChallengerTrainer trainer = BatchChallengerTrainer.fromSettings(config.retrainSettings());
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                Retrainer retrainer = Retrainer.start(config, trainer, telemetry.registry(), partitions, replication);
                RetrainHttpServer server = RetrainHttpServer.start(port, retrainer.routes(), telemetry.registry(),
                        retrainer::isRunning)) {
            actualPort = server.port();
            System.out.println("Retraining on " + kafka.bootstrapServers() + ": requests from "
                    + config.requestsTopic() + ", runs to " + config.runsTopic() + "; HTTP on port " + server.port());
            Thread signal = new Thread(() -> {
                try {
                    shutdown.await();
                    stopRequested.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "streamlearn-retrain-signal");
            signal.setDaemon(true);
            signal.start();
            listening.countDown();
            stopRequested.await();
        }
        return 0;
    }

    /** Stops a running command as Ctrl-C would. */
    void stop() {
        stopRequested.countDown();
    }

    /** The HTTP port once the server listens, or 0 when it does not within the timeout. */
    int awaitPort(long seconds) throws InterruptedException {
        return listening.await(seconds, TimeUnit.SECONDS) ? actualPort : 0;
    }
}

package io.streamlearn.cli;

import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.Retrainer;
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import io.streamlearn.runtime.http.ServiceHttpServer;
import io.streamlearn.runtime.metrics.Telemetry;
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

    @Mixin
    SettingsOptions settings;

    @Mixin
    TopicOptions topics;

    @Option(names = "--port", paramLabel = "P",
            description = "HTTP port for /v1/runs, /runs, POST /v1/models/{name}/retrain, /health and /metrics, 0 for a "
                    + "free one; the key http.port (default: 8083) when left out")
    Integer port;

    /** Counted down by Ctrl-C, or by {@link #stop()}. */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile int actualPort;

    @Override
    public Integer call() throws Exception {
        RetrainConfig config = RetrainConfig.of(settings.merged(kafka.flag(),
                new SettingsOptions.Flag("--port", "http.port", port))).validate();
        BatchChallengerTrainer trainer = BatchChallengerTrainer.fromSettings(config.retrainSettings());
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                Retrainer retrainer = Retrainer.start(config, trainer, telemetry.registry(), topics.partitions(),
                        topics.replication());
                ServiceHttpServer server = ServiceHttpServer.start("retrainer", config.httpPort(), retrainer.routes(),
                        telemetry.registry(), retrainer.liveness(), retrainer::isRunning)) {
            actualPort = server.port();
            System.out.println("Retraining on " + config.bootstrapServers() + ": requests from "
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

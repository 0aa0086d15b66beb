package io.streamlearn.cli;

import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.http.DriftRoutes;
import io.streamlearn.drift.kafka.DriftTopics;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.http.ServiceHttpServer;
import io.streamlearn.runtime.metrics.Telemetry;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The drift monitor against an existing cluster, with its HTTP routes (reports, health, metrics). */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch 'events', 'predictions' and 'labels' (the trainer's topics) for feature, prediction and "
                + "concept drift, and 'models' for batch promotions; write drift-alerts and retrain-requests.")
final class MonitorCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    SettingsOptions settings;

    @Mixin
    TopicOptions topics;

    @Option(names = "--port", paramLabel = "P",
            description = "HTTP port for /v1/drift/{model}[/report.html], /health and /metrics, 0 for a free one; the "
                    + "key http.port (default: 8082) when left out")
    Integer port;

    @Override
    public Integer call() throws Exception {
        DriftMonitorConfig config = DriftMonitorConfig.of(settings.merged(kafka.flag(),
                new SettingsOptions.Flag("--port", "http.port", port))).validate();
        DriftTopics.createMissing(config, topics.partitions(), topics.replication());
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                DefinitionFollower definitions = new DefinitionFollower(
                        config.followerSettings(),
                        config.definitionsTopic(), "streamlearn-monitor-definitions", new ModelCatalog())
                        .startAndCatchUp(DefinitionFollower.DEFAULT_CATCH_UP);
                DriftMonitorApplication monitor = DriftMonitorApplication.start(config, definitions.catalog(),
                        telemetry.registry());
                ServiceHttpServer server = ServiceHttpServer.start("drift monitor", config.httpPort(),
                        DriftRoutes.extension(monitor.reports()), telemetry.registry(),
                        Liveness.of(monitor.failure()).and(definitions.liveness()),
                        () -> monitor.state() == KafkaStreams.State.RUNNING)) {
            System.out.println("Monitoring topics " + config.eventsTopic() + ", " + config.predictionsTopic() + " and "
                    + config.labelsTopic() + " on " + config.bootstrapServers() + " for drift; alerts to "
                    + config.alertsTopic() + "; HTTP on port " + server.port());
            shutdown.await();
        }
        return 0;
    }
}

package io.streamlearn.cli;

import io.streamlearn.core.config.Settings;
import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.http.DriftHttpServer;
import io.streamlearn.drift.kafka.DriftTopics;
import io.streamlearn.serve.metrics.Telemetry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

    @Option(names = "--config", paramLabel = "FILE",
            description = "Monitor properties file (keys in docs/drift.md, section 9)")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set drift.reference.size=10000 --set kafka.num.stream.threads=2")
    Map<String, String> settings = new HashMap<>();

    @Option(names = "--port", paramLabel = "P", defaultValue = "8082",
            description = "HTTP port for /v1/drift/{model}[/report.html], /health and /metrics, 0 for a free one "
                    + "(default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--partitions", defaultValue = "1",
            description = "Partitions for output topics created when missing (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replication factor for output topics created when missing (default: ${DEFAULT-VALUE})")
    short replication;

    @Override
    public Integer call() throws Exception {
        Map<String, String> explicit = new HashMap<>(settings);
        explicit.put("bootstrap.servers", kafka.bootstrapServers());
        DriftMonitorConfig config =
                DriftMonitorConfig.of(Settings.merge(Settings.read(configFile), System.getenv(), explicit)).validate();
        DriftTopics.createMissing(config, partitions, replication);
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                DriftMonitorApplication monitor = DriftMonitorApplication.start(config, telemetry.registry());
                DriftHttpServer server = DriftHttpServer.start(port, monitor.reports(), telemetry.registry(),
                        monitor::isAlive, () -> monitor.state() == KafkaStreams.State.RUNNING)) {
            System.out.println("Monitoring topics " + config.eventsTopic() + ", " + config.predictionsTopic() + " and "
                    + config.labelsTopic() + " on " + kafka.bootstrapServers() + " for drift; alerts to "
                    + config.alertsTopic() + "; HTTP on port " + server.port());
            shutdown.await();
        }
        return 0;
    }
}

package io.streamlearn.tools.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.http.DriftReportPage;
import io.streamlearn.drift.http.DriftRoutes;
import io.streamlearn.drift.kafka.DriftTopics;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.http.RouteExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drift monitor in the demo's process: its own Kafka Streams application on the demo's broker, its routes
 * ({@code /v1/drift/{model}}, {@code /v1/drift/{model}/report.html}) on the prediction server's port, and the
 * {@code drift} block of {@code summary.json} ({@link DriftSummary}).
 */
final class DemoDrift implements AutoCloseable {

    private final DriftMonitorApplication monitor;
    private final MeterRegistry registry;

    private DemoDrift(DriftMonitorApplication monitor, MeterRegistry registry) {
        this.monitor = monitor;
        this.registry = registry;
    }

    /**
     * @param model    the model the demo trains
     * @param settings {@code drift.*} keys over the demo's configuration, and {@code snapshot.signing.key}; other keys
     *                 are not the monitor's
     */
    static DemoDrift start(String bootstrapServers, String processingGuarantee, Path stateDir, String model,
            MeterRegistry registry, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                // The demo's one model, declared: its alert counters exist at zero from the start (what the drift
                // alert rule's increase() needs), and no other model name can grow the monitor's state.
                "drift.models", model,
                "processing.guarantee", processingGuarantee,
                "kafka.state.dir", stateDir.toString(),
                // Each exactly-once commit is a transaction on the broker the trainer shares; at 200 ms the monitor's
                // commits parked its stream thread longer than the trainer's (docs/benchmarks.md, issue #13).
                "kafka.commit.interval.ms", "1000"));
        settings.forEach((key, value) -> {
            if (key.startsWith("drift.") || key.equals(SnapshotSigning.KEY)) {
                values.put(key, value);
            }
        });
        DriftMonitorConfig config = DriftMonitorConfig.of(values).validate();
        DriftTopics.createMissing(config, 1, (short) 1);
        return new DemoDrift(DriftMonitorApplication.start(config, registry), registry);
    }

    RouteExtension routes() {
        return DriftRoutes.extension(monitor.reports());
    }

    /** The monitor's Kafka Streams client (part {@code drift-monitor}). */
    Liveness liveness() {
        return Liveness.of(monitor.failure());
    }

    /**
     * Waits (at most {@code timeoutMillis}) until the monitor has read as many events and trainer predictions as the
     * trainer predicted: it runs beside the trainer and may trail it.
     */
    void awaitCaughtUp(String model, long predictions, long timeoutMillis, PartWatch parts)
            throws InterruptedException, PartFailedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline && (count("streamlearn.drift.events", "model", model) < predictions
                || count("streamlearn.drift.predictions", "model", model, "source", "trainer") < predictions)) {
            parts.pause(50);
        }
    }

    /** The monitor's last alerts for the model, oldest first. */
    List<DriftAlert> alerts(String model) {
        return monitor.reports().alerts(model);
    }

    /** The drift report page as {@code GET /v1/drift/{model}/report.html} serves it. */
    String page(String model) {
        return DriftReportPage.render(model, monitor.reports());
    }

    DriftSummary summary(String model) {
        Map<String, Long> alerts = new TreeMap<>();
        for (DriftKind kind : DriftKind.values()) {
            alerts.put(kind.code(), monitor.reports().alertCounts(model).getOrDefault(kind, 0L));
        }
        DriftAlert first = monitor.reports().firstAlert(model).orElse(null);
        return new DriftSummary(alerts, first == null ? null : first.kind().code(), first == null ? null : first.feature(),
                first == null ? null : first.current().toPosition(), (long) count("streamlearn.drift.events", "model",
                        model), (long) count("streamlearn.drift.concept.outcomes", "model", model));
    }

    private double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        monitor.close();
    }
}

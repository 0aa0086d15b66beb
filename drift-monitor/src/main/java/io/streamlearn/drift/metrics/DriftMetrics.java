package io.streamlearn.drift.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.drift.statistics.FeatureDrift;
import io.streamlearn.drift.statistics.Statistic;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.WindowReport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The drift monitor's meters. Gauges read values that the stream thread stores when it evaluates a window, so a
 * scrape never touches a sketch. Tag values are bounded by the models and their features (the reference window's).
 */
public final class DriftMetrics implements MeterBinder {

    private final Map<List<String>, Value> values = new ConcurrentHashMap<>();
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
    }

    /** A gauge's latest value, written by one stream thread, read by scrapes. */
    private static final class Value {
        private volatile double value = Double.NaN;
    }

    public void eventObserved(String model) {
        events.computeIfAbsent(model, m -> Counter.builder("streamlearn.drift.events").tag("model", m)
                .description("Valid events fed to the drift monitor").register(registry())).increment();
    }

    /** An event the monitor could not read, by reject reason ({@code RejectReason.code()}: a closed, small set). */
    public void invalidEvent(String reason) {
        Counter.builder("streamlearn.drift.invalid.events").tag("reason", reason)
                .description("Events on the events topic that the drift monitor could not read").register(registry())
                .increment();
    }

    public void alert(DriftAlert alert) {
        Counter.builder("streamlearn.drift.alerts").tag("model", alert.model()).tag("kind", alert.kind().code())
                .description("Confirmed drifts written to drift-alerts").register(registry()).increment();
    }

    /** Every statistic of every feature of the latest window, and the two windows' sizes in records. */
    public void window(WindowReport report) {
        String model = report.model();
        for (FeatureDrift feature : report.features()) {
            for (Statistic statistic : feature.statistics()) {
                gauge(List.of("streamlearn.drift.statistic", model, feature.feature(), statistic.name()))
                        .value = statistic.value();
            }
        }
        gauge(List.of("streamlearn.drift.window.size", model, "reference")).value = report.reference().size();
        gauge(List.of("streamlearn.drift.window.size", model, "current")).value = report.current().size();
        gauge(List.of("streamlearn.drift.share", model)).value = report.driftShare();
    }

    private Value gauge(List<String> id) {
        return values.computeIfAbsent(id, key -> {
            Value value = new Value();
            Gauge.Builder<Value> builder = Gauge.builder(key.get(0), value, v -> v.value).tag("model", key.get(1));
            switch (key.get(0)) {
                case "streamlearn.drift.statistic" -> builder.tag("feature", key.get(2)).tag("statistic", key.get(3))
                        .description("A drift statistic of one feature on the latest window");
                case "streamlearn.drift.window.size" -> builder.tag("window", key.get(2)).baseUnit("records")
                        .description("Records in the reference and in the current window");
                default -> builder.description("Share of tested features whose distribution drifts");
            }
            builder.register(registry());
            return value;
        });
    }

    private MeterRegistry registry() {
        MeterRegistry bound = registry;
        if (bound == null) {
            throw new IllegalStateException("DriftMetrics used before bindTo(registry)");
        }
        return bound;
    }
}

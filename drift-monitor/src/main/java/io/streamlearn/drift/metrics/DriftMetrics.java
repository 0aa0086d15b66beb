package io.streamlearn.drift.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.drift.statistics.FeatureDrift;
import io.streamlearn.drift.statistics.Statistic;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.WindowReport;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The drift monitor's meters. Gauges read values that the stream thread stores when it evaluates a window, so a
 * scrape never touches a sketch. Tag values are bounded by the models and their features (the reference window's).
 */
public final class DriftMetrics implements MeterBinder {

    /** The reasons of {@link #referenceFallback}, pre-registered at zero per model. */
    static final List<String> REFERENCE_FALLBACKS = List.of("not_published", "missing", "unreadable");

    private final Map<List<String>, Value> values = new ConcurrentHashMap<>();
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    /** Counters hit once or twice per record, found by a list key rather than built and registered each time. */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
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
        events.computeIfAbsent(model, m -> {
            registerAtZero(m);
            return Counter.builder("streamlearn.drift.events").tag("model", m)
                    .description("Valid events fed to the drift monitor").register(registry());
        }).increment();
    }

    /** The alert counters of the models named in {@code drift.models}, at zero from the start. */
    public void declareModels(Collection<String> models) {
        models.forEach(this::registerAtZero);
    }

    /**
     * A model's alert counters (every kind) and retraining requests, at zero, as soon as its first event is seen: the
     * drift alert rule ({@code increase(streamlearn_drift_alerts_total[10m]) > 0}) needs a sample from before the
     * first alert, or the series would start at 1 and never show an increase.
     */
    private void registerAtZero(String model) {
        for (DriftKind kind : DriftKind.values()) {
            alerts(model, kind);
        }
        retrainRequests(model);
        for (String reason : REFERENCE_FALLBACKS) {
            referenceFallbacks(model, reason);
        }
    }

    /** An event the monitor could not read, by reject reason ({@code RejectReason.code()}: a closed, small set). */
    public void invalidEvent(String reason) {
        Counter.builder("streamlearn.drift.invalid.events").tag("reason", reason)
                .description("Events on the events topic that the drift monitor could not read").register(registry())
                .increment();
    }

    /** A record that failed in the monitor's step in a way no validation foresaw, skipped; by topic and error. */
    public void recordFailed(String topic, String error) {
        Counter.builder("streamlearn.drift.record.failures").tag("topic", topic).tag("error", error)
                .description("Records the drift monitor skipped because processing them failed").register(registry())
                .increment();
    }

    /** Values of features beyond {@code drift.max.features} in a model's reference, not monitored. */
    public void unmonitoredValues(String model, long values) {
        if (values > 0) {
            Counter.builder("streamlearn.drift.unmonitored.values").tag("model", model)
                    .description("Feature values not monitored because their model already has drift.max.features "
                            + "features").register(registry()).increment(values);
        }
    }

    /** A record on {@code predictions} that the monitor could not read, by reject reason. */
    public void invalidPrediction(String reason) {
        Counter.builder("streamlearn.drift.invalid.predictions").tag("reason", reason)
                .description("Predictions that the drift monitor could not read").register(registry()).increment();
    }

    /** A label (on {@code labels} or inline) that the monitor could not read or compare, by reject reason. */
    public void invalidLabel(String reason) {
        Counter.builder("streamlearn.drift.invalid.labels").tag("reason", reason)
                .description("Labels that the drift monitor could not read or compare with their prediction")
                .register(registry()).increment();
    }

    /** A record on {@code models} that is not a readable snapshot (only {@code <model>@batch} keys are read). */
    public void invalidModel() {
        Counter.builder("streamlearn.drift.invalid.models")
                .description("Batch model snapshots whose metadata the drift monitor could not read")
                .register(registry()).increment();
    }

    /** A prediction fed to the model's prediction windows; {@code source} is {@code trainer} or {@code serving}. */
    public void predictionObserved(String model, String source) {
        counters.computeIfAbsent(List.of("predictions", model, source), k -> Counter.builder(
                "streamlearn.drift.predictions").tag("model", model).tag("source", source)
                .description("Valid predictions fed to the drift monitor").register(registry())).increment();
    }

    /**
     * Labelled predictions fed to the concept detectors, those that missed (for regression: a residual beyond the
     * running scale), and each detector's error estimate after them.
     */
    public void outcomes(String model, long outcomes, long errors, Map<String, Double> estimations) {
        counters.computeIfAbsent(List.of("outcomes", model), k -> Counter.builder("streamlearn.drift.concept.outcomes")
                .tag("model", model).description("Labelled predictions fed to the concept-drift detectors")
                .register(registry())).increment(outcomes);
        counters.computeIfAbsent(List.of("errors", model), k -> Counter.builder("streamlearn.drift.concept.errors")
                .tag("model", model).description("Labelled predictions that missed their label")
                .register(registry())).increment(errors);
        estimations.forEach((detector, estimate) ->
                gauge(List.of("streamlearn.drift.concept.estimate", model, detector)).value = estimate);
    }

    /** A prediction or label dropped unjoined: {@code reason} {@code expired} or {@code overflow}. */
    public void pendingDropped(String model, String reason, String side) {
        Counter.builder("streamlearn.drift.pending.dropped").tag("model", model).tag("reason", reason)
                .tag("side", side).description("Predictions or labels dropped before their counterpart arrived")
                .register(registry()).increment();
    }

    /** A model's reference windows started afresh because a batch version was published. */
    public void referenceReset(String model) {
        Counter.builder("streamlearn.drift.reference.resets").tag("model", model)
                .description("Reference windows reset on a batch model's promotion").register(registry()).increment();
    }

    /**
     * A promotion whose training rows could not be the feature reference, which is then rebuilt from the records after
     * it: {@code not_published} (the version's provenance names none: an older retrainer, publishing off, a split that
     * did not match), {@code missing} (announced but not on {@code drift-references} in time), {@code unreadable}.
     */
    public void referenceFallback(String model, String reason) {
        referenceFallbacks(model, reason).increment();
    }

    private Counter referenceFallbacks(String model, String reason) {
        return Counter.builder("streamlearn.drift.reference.fallbacks").tag("model", model).tag("reason", reason)
                .description("Promotions whose training rows could not be the drift reference").register(registry());
    }

    /** A model's monitors read back from the state store (after a restart or a moved task). */
    public void stateRestored(String model) {
        Counter.builder("streamlearn.drift.state.restores").tag("model", model)
                .description("Model monitors restored from the changelogged state store").register(registry())
                .increment();
    }

    public void retrainRequest(String model) {
        retrainRequests(model).increment();
    }

    public void alert(DriftAlert alert) {
        alerts(alert.model(), alert.kind()).increment();
    }

    private Counter retrainRequests(String model) {
        return Counter.builder("streamlearn.drift.retrain.requests").tag("model", model)
                .description("Retraining requests written to retrain-requests").register(registry());
    }

    private Counter alerts(String model, DriftKind kind) {
        return Counter.builder("streamlearn.drift.alerts").tag("model", model).tag("kind", kind.code())
                .description("Confirmed drifts written to drift-alerts").register(registry());
    }

    /** Every statistic of every feature of the latest window, and the two windows' sizes in records. */
    public void window(WindowReport report) {
        String model = report.model();
        String kind = report.kind().code();
        for (FeatureDrift feature : report.features()) {
            for (Statistic statistic : feature.statistics()) {
                gauge(List.of("streamlearn.drift.statistic", model, kind, feature.feature(), statistic.name()))
                        .value = statistic.value();
            }
        }
        gauge(List.of("streamlearn.drift.window.size", model, kind, "reference")).value = report.reference().size();
        gauge(List.of("streamlearn.drift.window.size", model, kind, "current")).value = report.current().size();
        gauge(List.of("streamlearn.drift.share", model, kind)).value = report.driftShare();
    }

    private Value gauge(List<String> id) {
        return values.computeIfAbsent(id, key -> {
            Value value = new Value();
            Gauge.Builder<Value> builder = Gauge.builder(key.get(0), value, v -> v.value).tag("model", key.get(1));
            switch (key.get(0)) {
                case "streamlearn.drift.statistic" -> builder.tag("kind", key.get(2)).tag("feature", key.get(3))
                        .tag("statistic", key.get(4)).description("A drift statistic of one feature on the latest window");
                case "streamlearn.drift.window.size" -> builder.tag("kind", key.get(2)).tag("window", key.get(3))
                        .baseUnit("records").description("Records in the reference and in the current window");
                case "streamlearn.drift.concept.estimate" -> builder.tag("detector", key.get(2))
                        .description("A concept-drift detector's estimate of the error rate");
                default -> builder.tag("kind", key.get(2))
                        .description("Share of tested features whose distribution drifts");
            }
            builder.register(registry());
            return value;
        });
    }

    /**
     * Removes the model's gauges: its task moved to another instance, whose gauges now speak for it (one left here
     * would repeat the last statistics next to the new owner's). With {@code deleted}, its counters go too.
     */
    public void forget(String model, boolean deleted) {
        MeterRegistry bound = registry();
        values.keySet().removeIf(key -> key.get(1).equals(model));
        if (deleted) {
            events.remove(model);
            counters.keySet().removeIf(key -> key.size() > 1 && key.get(1).equals(model));
        }
        bound.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("streamlearn.drift."))
                .filter(meter -> model.equals(meter.getId().getTag("model")))
                .filter(meter -> deleted || meter instanceof Gauge)
                .toList()
                .forEach(bound::remove);
    }

    private MeterRegistry registry() {
        MeterRegistry bound = registry;
        if (bound == null) {
            throw new IllegalStateException("DriftMetrics used before bindTo(registry)");
        }
        return bound;
    }
}

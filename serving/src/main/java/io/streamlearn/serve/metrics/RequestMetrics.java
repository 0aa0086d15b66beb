package io.streamlearn.serve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Meters of the HTTP API. Tag values stay bounded: {@code route} is a route template of the API (or
 * {@value #UNMATCHED}), never a raw path; {@code model} only ever names a served model and {@code version} a held
 * version of it ({@value #NONE} when a request concerns no served model, e.g. an unknown one); {@code status} is an
 * HTTP status; {@code error} one of the API's closed set of codes; {@code class} one of the classes the model's schema
 * declares. The meters of a version are removed when the registry evicts that version, so a model that changes every
 * second does not grow the scrape without bound.
 */
public final class RequestMetrics implements MeterBinder {

    public static final String PREDICTIONS = "streamlearn.serve.predictions";
    public static final String ERRORS = "streamlearn.serve.errors";
    public static final String LATENCY = "streamlearn.serve.latency";
    public static final String PREDICTED_CLASSES = "streamlearn.serve.predicted.classes";
    public static final String PREDICTED_VALUES = "streamlearn.serve.predicted.values";

    /** The {@code route} of a request that matched no route of the API. */
    public static final String UNMATCHED = "unmatched";
    /** The {@code model} and {@code version} of a request that concerns no served model. */
    public static final String NONE = "none";

    private record RequestKey(String route, String model, String version, int status) {
    }

    private record VersionKey(String model, long version) {
    }

    private record ClassKey(String model, String label) {
    }

    private final ModelRegistry models;
    private final ConcurrentMap<RequestKey, Timer> latency = new ConcurrentHashMap<>();
    private final ConcurrentMap<VersionKey, Counter> predictions = new ConcurrentHashMap<>();
    private final ConcurrentMap<ClassKey, Counter> classes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DistributionSummary> values = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public RequestMetrics(ModelRegistry models) {
        this.models = models;
    }

    /**
     * Registers the prediction counter of every served version now and later, so rates start at zero, and removes the
     * meters of versions the registry no longer holds.
     */
    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        models.all().forEach(this::predictionsOf);
        models.addListener(this::versionsChanged);
    }

    /**
     * One answered request.
     *
     * @param route  the template of the route that answered it, or {@value #UNMATCHED}
     * @param model  the model version it used, {@code null} when none
     * @param nanos  from the request's arrival to the end of its response
     */
    public void recordRequest(String route, ServedModel model, int status, long nanos) {
        RequestKey key = model == null
                ? new RequestKey(route, NONE, NONE, status)
                : new RequestKey(route, model.name(), Long.toString(model.version()), status);
        latency.computeIfAbsent(key, this::newTimer).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The predictions of one request (a batch counts each instance), and what they predicted. */
    public void recordPredictions(ServedModel model, List<ServedPrediction> served) {
        predictionsOf(model).increment(served.size());
        Map<String, Integer> perClass = new HashMap<>();
        for (ServedPrediction prediction : served) {
            if (prediction.prediction() instanceof Double value) {
                valuesOf(model.name()).record(value);
            } else {
                perClass.merge(String.valueOf(prediction.prediction()), 1, Integer::sum);
            }
        }
        perClass.forEach((label, count) ->
                classes.computeIfAbsent(new ClassKey(model.name(), label), this::newClassCounter).increment(count));
    }

    public void recordError(int status, String code) {
        Counter.builder(ERRORS)
                .description("Requests answered with an error, by HTTP status and error code")
                .tag("status", Integer.toString(status))
                .tag("error", code)
                .register(registry())
                .increment();
    }

    private Counter predictionsOf(ServedModel model) {
        return predictions.computeIfAbsent(new VersionKey(model.name(), model.version()), key ->
                Counter.builder(PREDICTIONS)
                        .description("Instances predicted (a batch counts each of its instances)")
                        .tag("model", key.model())
                        .tag("version", Long.toString(key.version()))
                        .register(registry()));
    }

    private Timer newTimer(RequestKey key) {
        return Timer.builder(LATENCY)
                .description("Time to answer a request, from its arrival to the end of the response; its count is "
                        + "the number of requests")
                .tag("route", key.route())
                .tag("model", key.model())
                .tag("version", key.version())
                .tag("status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                // Inference takes microseconds; Micrometer's default range starts at a millisecond.
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry());
    }

    private Counter newClassCounter(ClassKey key) {
        return Counter.builder(PREDICTED_CLASSES)
                .description("Served predictions by predicted class")
                .tag("model", key.model())
                .tag("class", key.label())
                .register(registry());
    }

    private DistributionSummary valuesOf(String model) {
        return values.computeIfAbsent(model, name -> DistributionSummary.builder(PREDICTED_VALUES)
                .description("Values predicted by a regression model (Micrometer ignores negative values)")
                .tag("model", name)
                .publishPercentiles(0.05, 0.5, 0.95)
                .register(registry()));
    }

    /**
     * Removes the meters of versions no longer held. A request that looked up a version just before its eviction may
     * register a meter for it afterwards; the model's next change removes that one too.
     */
    private void versionsChanged(String model) {
        Set<Long> held = models.versions(model).held().stream().map(ServedModel::version).collect(Collectors.toSet());
        Set<String> heldTags = held.stream().map(String::valueOf).collect(Collectors.toSet());
        predictions.entrySet().removeIf(entry -> entry.getKey().model().equals(model)
                && !held.contains(entry.getKey().version()) && removed(entry.getValue()));
        latency.entrySet().removeIf(entry -> entry.getKey().model().equals(model)
                && !heldTags.contains(entry.getKey().version()) && removed(entry.getValue()));
        models.find(model).ifPresent(this::predictionsOf);
    }

    private boolean removed(Meter meter) {
        registry().remove(meter);
        return true;
    }

    private MeterRegistry registry() {
        return Objects.requireNonNull(registry, "RequestMetrics is used before bindTo");
    }
}

package io.streamlearn.serve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.serve.ModelRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Meters of the prediction API. Tag values stay bounded: {@code model} only ever names a served model (a request for
 * an unknown one is counted as an error without it) and {@code error} is one of the API's closed set of codes.
 */
public final class RequestMetrics implements MeterBinder {

    public static final String PREDICTIONS = "streamlearn.serve.predictions";
    public static final String ERRORS = "streamlearn.serve.errors";
    public static final String LATENCY = "streamlearn.serve.latency";

    private record ModelMeters(Counter predictions, Timer latency) {
    }

    private final ModelRegistry models;
    private final ConcurrentMap<String, ModelMeters> perModel = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public RequestMetrics(ModelRegistry models) {
        this.models = models;
    }

    /** Registers the meters of every served model now and of every model served later, so rates start at zero. */
    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        models.all().forEach(model -> meters(model.name()));
        models.addListener(this::meters);
    }

    /**
     * @param instances predictions made by one request (the size of a batch)
     * @param nanos     time spent answering the request
     */
    public void recordPredictions(String model, int instances, long nanos) {
        ModelMeters meters = meters(model);
        meters.predictions().increment(instances);
        meters.latency().record(nanos, TimeUnit.NANOSECONDS);
    }

    public void recordError(int status, String code) {
        Counter.builder(ERRORS)
                .description("Requests answered with an error, by HTTP status and error code")
                .tag("status", Integer.toString(status))
                .tag("error", code)
                .register(registry())
                .increment();
    }

    private ModelMeters meters(String model) {
        return perModel.computeIfAbsent(model, name -> new ModelMeters(
                Counter.builder(PREDICTIONS)
                        .description("Instances predicted (a batch counts each of its instances)")
                        .tag("model", name)
                        .register(registry()),
                Timer.builder(LATENCY)
                        .description("Time to answer a prediction request, from routing to response")
                        .tag("model", name)
                        .publishPercentileHistogram()
                        // Inference takes microseconds; Micrometer's default range starts at a millisecond.
                        .minimumExpectedValue(Duration.ofNanos(1_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry())));
    }

    private MeterRegistry registry() {
        return Objects.requireNonNull(registry, "RequestMetrics is used before bindTo");
    }
}

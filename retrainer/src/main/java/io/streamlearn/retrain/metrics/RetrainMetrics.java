package io.streamlearn.retrain.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.retrain.run.RunObserver;
import io.streamlearn.retrain.run.RunStatus;
import io.streamlearn.retrain.run.TrainingResult;
import io.streamlearn.retrain.run.TrainingRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The retrainer's meters, fed by the runs as they end. Gauges read values stored then, so a scrape does no work. Tag
 * values are bounded: models, run outcomes (the five statuses), devices ({@code cpu}, {@code cuda:N}), champion roles.
 */
public final class RetrainMetrics implements MeterBinder, RunObserver {

    /** A gauge's latest value, written by a run's thread, read by scrapes. */
    private static final class Value {
        private volatile double value = Double.NaN;
    }

    private final Map<List<String>, Value> gauges = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSuccess = new ConcurrentHashMap<>();
    private final Set<String> knownModels = ConcurrentHashMap.newKeySet();
    private final LongSupplier clock;
    private volatile MeterRegistry registry;

    public RetrainMetrics(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
    }

    @Override
    public void coalesced(String model) {
        registerModel(model);
        coalescedRequests(model).increment();
    }

    @Override
    public void finished(TrainingRun run, TrainingResult result) {
        String outcome = run.status().code();
        String model = run.model();
        registerModel(model);
        runs(model, outcome).increment();
        if (run.finishedAt() != null) {
            Timer.builder("streamlearn.retrain.run.duration").tag("model", model).tag("outcome", outcome)
                    .description("Wall time of a run, request taken to final record").register(registry())
                    .record(Duration.ofMillis(Math.max(0, run.finishedAt() - run.startedAt())));
        }
        if (run.status() == RunStatus.PROMOTED) {
            promotions(model).increment();
        }
        if (run.status() != RunStatus.FAILED) {
            // The gauge reads the map: registered once, at the model's first success (a second registration of the
            // same gauge is ignored by Micrometer, with a warning).
            if (lastSuccess.put(model, clock.getAsLong()) == null) {
                registerSinceLastSuccess(model);
            }
        }
        if (result != null) {
            devices(model, result.device());
            value(List.of("streamlearn.retrain.challenger.metric", model, result.metric())).value =
                    result.challengerMetric();
            result.championMetrics().forEach((champion, metric) -> value(List.of(
                    "streamlearn.retrain.champion.metric", model, result.metric(), champion)).value = metric);
        }
    }

    /**
     * Every outcome's run counter, promotions and coalesced requests of a model, at zero, once it is first seen: an
     * alert on failed runs ({@code increase(streamlearn_retrain_runs_total{outcome="failed"}[1h]) > 0}) then has a
     * series to evaluate before the first failure, and a dashboard shows zero rather than nothing.
     */
    private void registerModel(String model) {
        if (!knownModels.add(model)) {
            return;
        }
        for (RunStatus status : RunStatus.values()) {
            if (status.isFinal()) {
                runs(model, status.code());
            }
        }
        promotions(model);
        coalescedRequests(model);
    }

    private Counter runs(String model, String outcome) {
        return Counter.builder("streamlearn.retrain.runs").tag("model", model).tag("outcome", outcome)
                .description("Retraining runs ended, by outcome").register(registry());
    }

    private Counter promotions(String model) {
        return Counter.builder("streamlearn.retrain.promotions").tag("model", model)
                .description("Batch versions published and pinned").register(registry());
    }

    private Counter coalescedRequests(String model) {
        return Counter.builder("streamlearn.retrain.coalesced").tag("model", model)
                .description("Retrain requests that arrived during a run and joined the one run after it")
                .register(registry());
    }

    /** One gauge per device a model has trained on: 1 for the last run's device, 0 for the others. */
    private void devices(String model, String device) {
        if (device == null) {
            return;
        }
        value(List.of("streamlearn.retrain.device", model, device));
        gauges.forEach((id, value) -> {
            if (id.get(0).equals("streamlearn.retrain.device") && id.get(1).equals(model)) {
                value.value = id.get(2).equals(device) ? 1 : 0;
            }
        });
    }

    private void registerSinceLastSuccess(String model) {
        Gauge.builder("streamlearn.retrain.since.last.success", lastSuccess,
                        times -> (clock.getAsLong() - times.getOrDefault(model, clock.getAsLong())) / 1000.0)
                .tag("model", model).baseUnit("seconds")
                .description("Seconds since the model's last run that trained a challenger (promoted, rejected or "
                        + "succeeded)")
                .register(registry());
    }

    private Value value(List<String> id) {
        return gauges.computeIfAbsent(id, key -> {
            Value value = new Value();
            Gauge.Builder<Value> builder = Gauge.builder(key.get(0), value, v -> v.value).tag("model", key.get(1));
            switch (key.get(0)) {
                case "streamlearn.retrain.device" -> builder.tag("device", key.get(2))
                        .description("1 for the device the model's last run trained on, 0 for others it used before");
                case "streamlearn.retrain.challenger.metric" -> builder.tag("metric", key.get(2))
                        .description("The last challenger's test metric");
                default -> builder.tag("metric", key.get(2)).tag("champion", key.get(3))
                        .description("Each champion's test metric in the last run (online, batch, baseline)");
            }
            builder.register(registry());
            return value;
        });
    }

    private MeterRegistry registry() {
        MeterRegistry bound = registry;
        if (bound == null) {
            throw new IllegalStateException("bind the retrainer's metrics to a registry first");
        }
        return bound;
    }
}

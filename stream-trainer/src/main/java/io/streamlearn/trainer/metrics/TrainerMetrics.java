package io.streamlearn.trainer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.trainer.model.StepTimes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's meters. Gauges read a per-model status that the processor refreshes when it publishes a snapshot or
 * every few hundred events, so a scrape never touches the learner itself.
 *
 * <p>Counters an alert may watch (dead letters by reason, labels by outcome) are registered at zero when the trainer
 * starts ({@link #preRegister}): a counter born at its first increment hides that increment from Prometheus'
 * {@code increase()} and {@code rate()}, so the first dead letter of a kind would raise no alert.
 */
public final class TrainerMetrics implements MeterBinder {

    /** Every outcome of {@link #label}. */
    public static final List<String> LABEL_OUTCOMES = List.of("inline", "held", "joined", "unmatched", "expired");

    /** The bounds of the step timers' histogram buckets. */
    static final java.time.Duration STEP_MIN = java.time.Duration.ofNanos(1_000);
    static final java.time.Duration STEP_MAX = java.time.Duration.ofSeconds(10);

    private final Map<String, ModelStatus> statuses = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private final Map<String, Counter> labelCounters = new ConcurrentHashMap<>();

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
    }

    /**
     * Live figures of one model, written by its stream thread and read by scrapes; its step timers take the model's
     * predict and learn times ({@link StepTimes}).
     */
    public static final class ModelStatus implements StepTimes {
        private final Counter events;
        private final Counter predictions;
        private final Counter alerts;
        private final Timer predictLatency;
        private final Timer learnLatency;
        private volatile Evaluation evaluation;
        private volatile long version;
        private volatile long snapshotAtMillis;
        private final AtomicLong unpublished = new AtomicLong();

        private ModelStatus(MeterRegistry registry, String model) {
            events = Counter.builder("streamlearn.train.events").tag("model", model)
                    .description("Valid events consumed").register(registry);
            predictions = Counter.builder("streamlearn.train.predictions").tag("model", model)
                    .description("Prequential predictions written to the predictions topic").register(registry);
            alerts = Counter.builder("streamlearn.train.anomaly.alerts").tag("model", model)
                    .description("Events whose anomaly score raised an alert on the anomalies topic")
                    .register(registry);
            predictLatency = stepTimer("streamlearn.train.predict.latency", model, registry);
            learnLatency = stepTimer("streamlearn.train.learn.latency", model, registry);
            gauge(registry, model, "streamlearn.train.model.version", s -> s.version);
            gauge(registry, model, "streamlearn.train.snapshot.age.seconds",
                    s -> s.snapshotAtMillis == 0 ? Double.NaN : (System.currentTimeMillis() - s.snapshotAtMillis) / 1000.0);
            // With the age, says whether a snapshot is overdue without looking at the event rate: a quiet model has
            // nothing unpublished, while a trainer that stopped keeps what it learned and did not publish.
            gauge(registry, model, "streamlearn.train.unpublished.updates", s -> s.unpublished.get());
            gauge(registry, model, "streamlearn.train.accuracy", s -> figure(s, e -> e.accuracy()));
            gauge(registry, model, "streamlearn.train.kappa", s -> figure(s, e -> e.kappa()));
            gauge(registry, model, "streamlearn.train.accuracy.window", s -> figure(s, e -> nested(e.window(), Evaluation::accuracy)));
            gauge(registry, model, "streamlearn.train.kappa.window", s -> figure(s, e -> nested(e.window(), Evaluation::kappa)));
            gauge(registry, model, "streamlearn.train.rmse", s -> figure(s, e -> e.rmse()));
            gauge(registry, model, "streamlearn.train.r2", s -> figure(s, e -> e.r2()));
            gauge(registry, model, "streamlearn.train.accuracy.fading", s -> figure(s, e -> nested(e.fading(), Evaluation::accuracy)));
            gauge(registry, model, "streamlearn.train.rmse.fading", s -> figure(s, e -> nested(e.fading(), Evaluation::rmse)));
            gauge(registry, model, "streamlearn.train.anomaly.roc.auc",
                    s -> figure(s, e -> e.alerts() == null ? null : e.rocAuc()));
            gauge(registry, model, "streamlearn.train.anomaly.precision.at.k", s -> figure(s, e -> e.precisionAtK()));
            gauge(registry, model, "streamlearn.train.cluster.count",
                    s -> figure(s, e -> e.clusters() == null ? null : e.clusters().doubleValue()));
            gauge(registry, model, "streamlearn.train.cluster.ssq.window", s -> figure(s, e -> nested(e.window(), Evaluation::ssq)));
            gauge(registry, model, "streamlearn.train.cluster.silhouette.window",
                    s -> figure(s, e -> nested(e.window(), Evaluation::silhouette)));
            gauge(registry, model, "streamlearn.train.labelled.instances",
                    s -> s.evaluation == null ? 0 : s.evaluation.instances());
        }

        /**
         * A predict or learn step takes microseconds (a tree: ~1-3 µs): Micrometer's timer buckets begin at 1 ms by
         * default, which put every step in the lowest bucket and read p99 as ~1 ms for ever. These span 1 µs to 10 s.
         */
        private static Timer stepTimer(String name, String model, MeterRegistry registry) {
            return Timer.builder(name).tag("model", model).publishPercentileHistogram()
                    .minimumExpectedValue(STEP_MIN).maximumExpectedValue(STEP_MAX).register(registry);
        }

        private void gauge(MeterRegistry registry, String model, String name, ToDoubleFunction<ModelStatus> value) {
            Gauge.builder(name, this, value).tag("model", model).register(registry);
        }

        private static double figure(ModelStatus status, java.util.function.Function<Evaluation, Double> pick) {
            Evaluation evaluation = status.evaluation;
            if (evaluation == null) {
                return Double.NaN;
            }
            Double value = pick.apply(evaluation);
            return value == null ? Double.NaN : value;
        }

        /** A figure of the window or fading block, which the anomaly and cluster tasks may not have. */
        private static Double nested(Evaluation block, java.util.function.Function<Evaluation, Double> pick) {
            return block == null ? null : pick.apply(block);
        }

        public void eventConsumed() {
            events.increment();
            unpublished.incrementAndGet();
        }

        public void predictionMade(long predictNanos) {
            predictions.increment();
            predictLatency.record(predictNanos, TimeUnit.NANOSECONDS);
        }

        public void anomalyAlerted() {
            alerts.increment();
        }

        @Override
        public void predicted(long predictNanos) {
            predictionMade(predictNanos);
        }

        @Override
        public void learned(long learnNanos) {
            learnLatency.record(learnNanos, TimeUnit.NANOSECONDS);
            unpublished.incrementAndGet();
        }

        public void update(Evaluation latest, long latestVersion) {
            this.evaluation = latest;
            this.version = latestVersion;
        }

        public void snapshotPublished(long atMillis) {
            this.snapshotAtMillis = atMillis;
            unpublished.set(0);
        }
    }

    public ModelStatus model(String model) {
        return statuses.computeIfAbsent(model, name -> new ModelStatus(registry(), name));
    }

    /**
     * Registers at zero, before any record, the model's meters and every dead-letter and label counter an alert or a
     * dashboard may query.
     *
     * @param sourceTopics the topics whose records may be dead-lettered ({@code events}, {@code labels})
     */
    public void preRegister(Collection<String> models, Collection<String> sourceTopics) {
        for (String topic : sourceTopics) {
            for (RejectReason reason : RejectReason.values()) {
                deadLetters(reason, topic);
            }
        }
        for (String model : models) {
            model(model);
            LABEL_OUTCOMES.forEach(outcome -> labels(model, outcome));
        }
    }

    public void deadLetter(RejectReason reason, String sourceTopic) {
        deadLetters(reason, sourceTopic).increment();
    }

    /**
     * @param outcome {@code inline} (label in the event), {@code held} (label read before its event, held for it),
     *                {@code joined} (label matched its event, late or held), {@code unmatched} (label dead-lettered:
     *                no event came within the hold, or it could not be held), {@code expired} (event never labelled
     *                within the time to live), {@code evicted} (held label dead-lettered to keep the hold within its
     *                byte budget)
     */
    public void label(String model, String outcome) {
        labels(model, outcome).increment();
    }

    private Counter deadLetters(RejectReason reason, String sourceTopic) {
        return Counter.builder("streamlearn.train.dlq").tag("reason", reason.code()).tag("topic", sourceTopic)
                .description("Records sent to the dead-letter topic").register(registry());
    }

    private Counter labels(String model, String outcome) {
        // Counted once per event: a builder and a registry lookup each time cost about as much as the tree's predict
        // (CPU samples, docs/benchmarks.md, issue #13), so each counter is looked up once, as the model statuses are.
        return labelCounters.computeIfAbsent(model + '\u0000' + outcome,
                key -> Counter.builder("streamlearn.train.labels").tag("model", model).tag("outcome", outcome)
                        .description("Labels by outcome").register(registry()));
    }

    public void snapshot(String model, int bytes) {
        Counter.builder("streamlearn.train.snapshots").tag("model", model).register(registry()).increment();
        Counter.builder("streamlearn.train.snapshot.bytes").tag("model", model).baseUnit("bytes")
                .register(registry()).increment(bytes);
    }

    /**
     * A model written whole: {@code kind} is {@code checkpoint} (changelog) or {@code snapshot} ({@code models}); the
     * bytes are the chunked records written, the time covers serialising, compressing and handing them to Kafka.
     */
    public void modelWritten(String model, String kind, long bytes, long nanos) {
        io.micrometer.core.instrument.Timer.builder("streamlearn.train.model.write").tag("model", model)
                .tag("kind", kind).description("Time to write a model whole (serialise, compress, chunk)")
                .register(registry()).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        Counter.builder("streamlearn.train.model.write.bytes").tag("model", model).tag("kind", kind)
                .baseUnit("bytes").description("Bytes of chunked records written for whole models")
                .register(registry()).increment(bytes);
    }

    /**
     * Removes the model's meters: it was deleted, or its task moved to another instance, whose meters now speak for
     * it (a gauge left behind would repeat a stale version and accuracy next to the new owner's).
     */
    public void forget(String model) {
        statuses.remove(model);
        labelCounters.keySet().removeIf(key -> key.startsWith(model + '\u0000'));
        MeterRegistry bound = registry();
        bound.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("streamlearn.train."))
                .filter(meter -> model.equals(meter.getId().getTag("model")))
                .toList()
                .forEach(bound::remove);
    }

    /** A model whose definition in force its learned state cannot follow; its records are dead-lettered meanwhile. */
    public void modelRefused(String model) {
        Counter.builder("streamlearn.train.model.refusals").tag("model", model)
                .description("Times a model's definition was refused for its learned state").register(registry())
                .increment();
    }

    /** A shard step of a generation deleted or started afresh since it was sent: nothing waits for its votes. */
    public void shardStepSkipped(String model) {
        Counter.builder("streamlearn.train.shard.steps.skipped").tag("model", model)
                .description("Shard steps of a generation deleted or started afresh since they were sent")
                .register(registry()).increment();
    }

    /** A snapshot due by interval that waited because the last one cost more than its share of time. */
    public void snapshotDeferred(String model) {
        Counter.builder("streamlearn.train.snapshots.deferred").tag("model", model)
                .description("Snapshots postponed by snapshot.cost.fraction").register(registry()).increment();
    }

    private MeterRegistry registry() {
        MeterRegistry bound = registry;
        if (bound == null) {
            throw new IllegalStateException("TrainerMetrics used before bindTo(registry)");
        }
        return bound;
    }
}

package io.streamlearn.serve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.SnapshotLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Meters of what is served: per model the served version and the age of its snapshot (an age that keeps growing means
 * the trainer stopped publishing or the follower stopped following), how many versions are held, how long loading a
 * snapshot takes and how often it fails; and the snapshots loaded and rejected overall.
 *
 * <p>A served version is the online learner's (numbered 1, 2, 3... as the trainer publishes) or a batch one (numbered by
 * its promotion time in epoch milliseconds, docs/retraining.md), so the served version alone cannot be compared with
 * the trainer's: {@value #ORIGIN} says which origin is served (1 for it, 0 for the other, one series per origin as
 * Prometheus' enum-as-gauges convention has it), and {@value #ONLINE_VERSION} is the newest online version this server
 * loaded, served or not, which is how far it follows the trainer. Failures are tagged with a
 * model only when the record's key names a model this server already holds: the key is chosen by whoever writes to
 * the topic, so any other failure is counted only in the untagged {@value #SNAPSHOTS_REJECTED}.
 */
public final class ModelMetrics implements MeterBinder {

    public static final String VERSION = "streamlearn.model.version";
    public static final String ORIGIN = "streamlearn.model.origin";
    public static final String ONLINE_VERSION = "streamlearn.model.online.version";
    public static final String SNAPSHOT_AGE = "streamlearn.model.snapshot.age";
    public static final String SNAPSHOTS_LOADED = "streamlearn.serve.snapshots.loaded";
    public static final String SNAPSHOTS_REJECTED = "streamlearn.serve.snapshots.rejected";
    public static final String VERSIONS_LOADED = "streamlearn.serve.versions.loaded";
    public static final String LOAD_TIME = "streamlearn.serve.model.load";
    public static final String LOAD_FAILURES = "streamlearn.serve.model.load.failures";

    private final ModelRegistry models;
    private final SnapshotLoader snapshots;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    /**
     * Per model the newest online version loaded: held versions alone would lose it once batch versions, which number
     * above every online one, fill the versions kept.
     */
    private final Map<String, Long> newestOnline = new ConcurrentHashMap<>();

    public ModelMetrics(ModelRegistry models, SnapshotLoader snapshots) {
        this.models = models;
        this.snapshots = snapshots;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(SNAPSHOTS_LOADED, snapshots, SnapshotLoader::loadedCount)
                .description("Model snapshots that became the served version")
                .register(registry);
        FunctionCounter.builder(SNAPSHOTS_REJECTED, snapshots, SnapshotLoader::rejectedCount)
                .description("Records of the models topic that were not usable snapshots")
                .register(registry);
        models.all().forEach(model -> registerGauges(registry, model.name()));
        models.addListener(model -> registerGauges(registry, model));
        snapshots.addListener(new SnapshotLoader.Listener() {
            @Override
            public void loaded(ServedModel model, long nanos) {
                loadTime(registry, model.name()).record(nanos, TimeUnit.NANOSECONDS);
                if (!model.metadata().isBatch()) {
                    newestOnline.merge(model.name(), model.version(), Math::max);
                }
            }

            @Override
            public void rejected(String knownModel) {
                if (knownModel != null) {
                    loadFailures(registry, knownModel).increment();
                }
            }
        });
    }

    /** Once per model: the gauges read whichever version is served when scraped. */
    private void registerGauges(MeterRegistry registry, String model) {
        if (!registered.add(model)) {
            return;
        }
        Gauge.builder(VERSION, () -> models.find(model).map(ServedModel::version).orElse(0L))
                .description("Version of the served model")
                .tag("model", model)
                .register(registry);
        for (String origin : List.of(ModelMetadata.ONLINE, ModelMetadata.BATCH)) {
            Gauge.builder(ORIGIN, () -> models.find(model).filter(served -> served.metadata().origin().equals(origin))
                            .isPresent() ? 1 : 0)
                    .description("1 for the origin (online or batch) of the served version, 0 for the other")
                    .tag("model", model)
                    .tag("origin", origin)
                    .register(registry);
        }
        Gauge.builder(ONLINE_VERSION, () -> onlineVersion(model))
                .description("Newest version of the online learner this server loaded, served or not (0 for none)")
                .tag("model", model)
                .register(registry);
        Gauge.builder(SNAPSHOT_AGE, () -> snapshotAgeSeconds(registry, model))
                .description("Seconds since the served snapshot was taken")
                .tag("model", model)
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(VERSIONS_LOADED, () -> models.versions(model).held().size())
                .description("Versions of the model this server holds (served, pinned and kept for rollback)")
                .tag("model", model)
                .register(registry);
        loadTime(registry, model);
        loadFailures(registry, model);
    }

    private static Timer loadTime(MeterRegistry registry, String model) {
        return Timer.builder(LOAD_TIME)
                .description("Time to decode a snapshot and restore its learner, for snapshots that became served")
                .tag("model", model)
                .register(registry);
    }

    private static Counter loadFailures(MeterRegistry registry, String model) {
        return Counter.builder(LOAD_FAILURES)
                .description("Snapshots of a served model that could not be loaded")
                .tag("model", model)
                .register(registry);
    }

    private long onlineVersion(String model) {
        long held = models.versions(model).newest(ModelMetadata.ONLINE);
        return Math.max(Math.max(held, 0), newestOnline.getOrDefault(model, 0L));
    }

    private double snapshotAgeSeconds(MeterRegistry registry, String model) {
        return models.find(model)
                .map(served -> (registry.config().clock().wallTime() - served.metadata().createdAt()) / 1000.0)
                .orElse(Double.NaN);
    }
}

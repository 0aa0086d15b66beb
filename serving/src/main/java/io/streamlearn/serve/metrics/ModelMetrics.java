package io.streamlearn.serve.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.SnapshotLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of what is served: per model the served version and the age of its snapshot (an age that keeps growing means
 * the trainer stopped publishing or the follower stopped following), and the snapshots loaded and rejected.
 */
public final class ModelMetrics implements MeterBinder {

    public static final String VERSION = "streamlearn.model.version";
    public static final String SNAPSHOT_AGE = "streamlearn.model.snapshot.age";
    public static final String SNAPSHOTS_LOADED = "streamlearn.serve.snapshots.loaded";
    public static final String SNAPSHOTS_REJECTED = "streamlearn.serve.snapshots.rejected";

    private final ModelRegistry models;
    private final SnapshotLoader snapshots;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

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
        Gauge.builder(SNAPSHOT_AGE, () -> snapshotAgeSeconds(registry, model))
                .description("Seconds since the served snapshot was taken")
                .tag("model", model)
                .baseUnit("seconds")
                .register(registry);
    }

    private double snapshotAgeSeconds(MeterRegistry registry, String model) {
        return models.find(model)
                .map(served -> (registry.config().clock().wallTime() - served.metadata().createdAt()) / 1000.0)
                .orElse(Double.NaN);
    }
}

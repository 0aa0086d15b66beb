package io.streamlearn.drift.kafka;

import io.streamlearn.drift.window.ConceptDriftMonitor;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Everything the monitor keeps of one model, each part durable ({@link DurableMonitor}): the feature windows of its
 * events, the prediction windows of each source ({@code trainer}, {@code serving}), and the concept detectors on its
 * prequential error stream; plus the batch version whose promotion last reset them.
 */
final class ModelMonitors {

    /** The prediction sources kept apart, each against its own reference (docs/drift.md, "Prediction drift"). */
    static final List<String> SOURCES = List.of(PredictionReader.TRAINER, "serving");
    /** What a concept journal entry holds: the miss (1 or 0) of a class, or a regression residual. */
    static final String WRONG = "wrong";
    static final String RESIDUAL = "residual";

    private final String model;
    private final KeyValueStore<String, byte[]> store;
    private final DurableMonitor<FeatureDriftMonitor> features;
    private final Map<String, DurableMonitor<FeatureDriftMonitor>> predictions = new TreeMap<>();
    private final DurableMonitor<ConceptDriftMonitor> concept;
    private long batchVersion;

    ModelMonitors(String model, KeyValueStore<String, byte[]> store, MonitorSettings settings, int snapshotEvery) {
        this.model = model;
        this.store = store;
        this.features = DurableMonitor.load(store, model, "feature", settings, snapshotEvery,
                FeatureDriftMonitor.class,
                () -> new FeatureDriftMonitor(model, DriftKind.FEATURE, settings), FeatureDriftMonitor::observe);
        for (String source : SOURCES) {
            predictions.put(source, DurableMonitor.load(store, model, "prediction." + source, settings, snapshotEvery,
                    FeatureDriftMonitor.class, () -> new FeatureDriftMonitor(model, DriftKind.PREDICTION, settings),
                    FeatureDriftMonitor::observe));
        }
        this.concept = DurableMonitor.load(store, model, "concept", settings, snapshotEvery,
                ConceptDriftMonitor.class,
                () -> new ConceptDriftMonitor(model, settings), ModelMonitors::observeOutcome);
        byte[] version = store.get(versionKey());
        this.batchVersion = version == null ? -1 : ByteBuffer.wrap(version).getLong();
    }

    private static List<DriftAlert> observeOutcome(ConceptDriftMonitor monitor, Observation outcome) {
        Object residual = outcome.values().get(RESIDUAL);
        Optional<DriftAlert> alert = residual instanceof Double r ? monitor.observeResidual(outcome, r)
                : monitor.observe(outcome, Double.valueOf(1.0).equals(outcome.values().get(WRONG)));
        return alert.map(List::of).orElse(List.of());
    }

    /** Whether any part was read back from the store rather than started afresh. */
    boolean restored() {
        return features.restored() || concept.restored()
                || predictions.values().stream().anyMatch(DurableMonitor::restored);
    }

    DurableMonitor<FeatureDriftMonitor> features() {
        return features;
    }

    DurableMonitor<FeatureDriftMonitor> predictions(String source) {
        return predictions.get(source);
    }

    DurableMonitor<ConceptDriftMonitor> concept() {
        return concept;
    }

    /**
     * Resets every reference window, signal and detector when a batch version newer than the last one seen is
     * published. The first version seen before anything was monitored is only remembered: the reference is being
     * built from the data of that version anyway.
     *
     * @return whether the model's windows were reset
     */
    boolean promote(OptionalLong published) {
        if (published.isEmpty() || published.getAsLong() <= batchVersion) {
            return false;
        }
        boolean untouched = batchVersion < 0 && features.records() == 0 && concept.records() == 0
                && predictions.values().stream().allMatch(p -> p.records() == 0);
        batchVersion = published.getAsLong();
        store.put(versionKey(), ByteBuffer.allocate(8).putLong(batchVersion).array());
        if (untouched) {
            return false;
        }
        features.change(FeatureDriftMonitor::resetReference);
        predictions.values().forEach(p -> p.change(FeatureDriftMonitor::resetReference));
        concept.change(ConceptDriftMonitor::reset);
        return true;
    }

    private String versionKey() {
        return "v\0" + model;
    }

    String model() {
        return model;
    }
}

package io.streamlearn.drift.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.event.PredictionReader;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.model.TrainingReferenceCodec;
import io.streamlearn.drift.window.ConceptDriftMonitor;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Everything the monitor keeps of one model, each part durable ({@link DurableMonitor}): the feature windows of its
 * events, the prediction windows of each source ({@code trainer}, {@code serving}), and the concept detectors on its
 * prequential error stream; plus the batch version whose promotion last reset them.
 */
final class ModelMonitors {

    /**
     * Records of the model during which a promotion whose training rows were published, but are not in the global
     * store yet, waits for them. Both records commit in one transaction, so only the global thread's lag between two
     * topics separates them (milliseconds: a few hundred records at the monitor's rate); a reference that never comes
     * (the services configured with different topics) costs at most this many records under the old reference.
     */
    static final int REFERENCE_WAIT_RECORDS = 10_000;

    /** What a promotion did to the model's reference windows. */
    enum Promotion {
        /** No newer batch version, or the first one seen before anything was monitored (only remembered). */
        NONE(false, null),
        /** A newer version whose training rows are on their way: nothing changes yet. */
        WAITING(false, null),
        /** The feature reference is the version's training rows. */
        TRAINING_WINDOW(true, null),
        /** Fallbacks: the feature reference is rebuilt from the records after the promotion, as before issue #5. */
        NOT_PUBLISHED(true, "not_published"),
        MISSING(true, "missing"),
        UNREADABLE(true, "unreadable");

        private final boolean moved;
        private final String fallback;

        Promotion(boolean moved, String fallback) {
            this.moved = moved;
            this.fallback = fallback;
        }

        /** Whether the reference windows were reset. */
        boolean moved() {
            return moved;
        }

        /** Why the training rows could not be the reference, when they could not. */
        Optional<String> fallback() {
            return Optional.ofNullable(fallback);
        }
    }

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
    /** Records spent waiting for the training rows of the newest version (not durable: a restart waits afresh). */
    private int waited;

    ModelMonitors(String model, KeyValueStore<String, byte[]> store, BlobChunking chunking, MonitorSettings settings,
            int snapshotEvery) {
        this.model = model;
        this.store = store;
        this.features = DurableMonitor.load(store, chunking, model, "feature", settings, snapshotEvery,
                FeatureDriftMonitor.class,
                () -> new FeatureDriftMonitor(model, DriftKind.FEATURE, settings), FeatureDriftMonitor::observe);
        for (String source : SOURCES) {
            predictions.put(source, DurableMonitor.load(store, chunking, model, "prediction." + source, settings,
                    snapshotEvery, FeatureDriftMonitor.class,
                    () -> new FeatureDriftMonitor(model, DriftKind.PREDICTION, settings), FeatureDriftMonitor::observe));
        }
        this.concept = DurableMonitor.load(store, chunking, model, "concept", settings, snapshotEvery,
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
     * Moves every reference window when a batch version newer than the last one seen is published: the feature
     * reference becomes the version's training rows ({@code references}: the model's record on
     * {@code drift-references}) when they are there, or is rebuilt from the next records when they are not; the
     * prediction references are rebuilt from the next records, every signal and detector starts afresh. Each change
     * is snapshotted at once ({@link DurableMonitor#change}), so a replay starts after it. The first version seen
     * before anything was monitored is only remembered: the reference is being built from the data of that version.
     */
    Promotion promote(Optional<BatchModels.Published> published, Function<String, byte[]> references) {
        if (published.isEmpty() || published.get().version() <= batchVersion) {
            return Promotion.NONE;
        }
        long version = published.get().version();
        boolean untouched = batchVersion < 0 && features.records() == 0 && concept.records() == 0
                && predictions.values().stream().allMatch(p -> p.records() == 0);
        if (untouched) {
            remember(version);
            return Promotion.NONE;
        }
        TrainingRows training = published.get().withReference() ? trainingRows(version, references.apply(model))
                : new TrainingRows(Promotion.NOT_PUBLISHED, List.of());
        if (training.promotion() == Promotion.WAITING) {
            return Promotion.WAITING;
        }
        remember(version);
        List<Observation> rows = training.rows();
        features.change(rows.isEmpty() ? FeatureDriftMonitor::resetReference : m -> m.resetReference(rows));
        predictions.values().forEach(p -> p.change(FeatureDriftMonitor::resetReference));
        concept.change(ConceptDriftMonitor::reset);
        return training.promotion();
    }

    /** What the promotion of a version found of its training rows, and the rows when it found them. */
    private record TrainingRows(Promotion promotion, List<Observation> rows) {
    }

    /** The announced training rows of {@code version} from their record ({@code null} when none is stored). */
    private TrainingRows trainingRows(long version, byte[] record) {
        try {
            if (record == null || TrainingReferenceCodec.version(record) != version) {
                if (waited < REFERENCE_WAIT_RECORDS) {
                    waited++;
                    return new TrainingRows(Promotion.WAITING, List.of());
                }
                return new TrainingRows(Promotion.MISSING, List.of());
            }
            List<Observation> rows = observations(TrainingReferenceCodec.decode(record));
            return new TrainingRows(rows.isEmpty() ? Promotion.MISSING : Promotion.TRAINING_WINDOW, rows);
        } catch (IllegalArgumentException e) {
            return new TrainingRows(Promotion.UNREADABLE, List.of());
        }
    }

    private void remember(long version) {
        batchVersion = version;
        waited = 0;
        store.put(versionKey(), ByteBuffer.allocate(8).putLong(batchVersion).array());
    }

    /**
     * The training rows as observations of the model's events: their partitions, offsets and times, and positions
     * {@code 1 - n .. 0}, which no record the monitor counts has (its positions start at 1), so a report or alert
     * whose reference ends at position 0 names a training window, and the window's size is still its row count.
     */
    private static List<Observation> observations(TrainingReference reference) {
        int n = reference.rows().size();
        List<Observation> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TrainingReference.Row row = reference.rows().get(i);
            rows.add(new Observation(i + 1 - n, row.partition(), row.offset(), row.timestamp(), row.values()));
        }
        return rows;
    }

    private String versionKey() {
        return "v\0" + model;
    }

    String model() {
        return model;
    }
}

package io.streamlearn.trainer.kafka;

import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.CostAwareCadence;
import io.streamlearn.trainer.model.IncompatibleCheckpointException;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models one training task holds, through their life: each is loaded from the task's stores on first use,
 * adopts a rewritten definition of the same state, starts afresh under a definition of a newer generation, is refused
 * while the definition in force is one its state cannot follow, and is retired when deleted. Every step of a model is
 * journaled ({@link ModelStateStores}); a model fresh or started afresh is checkpointed before its next step, so its
 * state records the definition it is learned under, and after that at its cost-aware cadence.
 */
final class TaskModels {

    /** What else the task keeps by generation: told when a model's generations before {@code generation} are over. */
    interface EndedGenerations {

        void endedBefore(String model, long generation);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TaskModels.class);

    private final TrainerConfig config;
    private final ModelCatalog catalog;
    private final TrainerMetrics metrics;
    private final ModelStateStores stores;
    /** Kafka Streams' wall clock (the driver's in tests), as the time base of the write cadences. */
    private final LongSupplier wallClockNanos;
    private final EndedGenerations ended;
    private final Map<String, OnlineModel> models = new HashMap<>();
    private final Map<String, FeatureEncoder> encoders = new HashMap<>();
    /** Models whose committed state their definition in force cannot continue, with that definition. */
    private final Map<String, Refusal> refused = new HashMap<>();
    /** Models to checkpoint before their next journal step: fresh or started afresh, so the state records its origin. */
    private final Set<String> checkpointFirst = new HashSet<>();
    private final Map<String, Long> lastCheckpoint = new HashMap<>();
    private final Map<String, CostAwareCadence> checkpointCadence = new HashMap<>();
    private final Map<String, CostAwareCadence> snapshotCadence = new HashMap<>();

    private record Refusal(ModelDefinition definition, String reason) {
    }

    TaskModels(TrainerConfig config, ModelCatalog catalog, TrainerMetrics metrics, ModelStateStores stores,
            LongSupplier wallClockNanos, EndedGenerations ended) {
        this.config = config;
        this.catalog = catalog;
        this.metrics = metrics;
        this.stores = stores;
        this.wallClockNanos = wallClockNanos;
        this.ended = ended;
    }

    /**
     * Loads the models this task already holds state for, so changes made before a crash get published even if no
     * further record arrives.
     */
    void loadHeld() {
        for (ModelDefinition definition : catalog.definitions()) {
            if (stores.hasState(definition)) {
                try {
                    model(definition);
                } catch (InvalidRecordException refusedModel) {
                    LOG.error("{}", refusedModel.getMessage());
                }
            }
        }
    }

    /**
     * The model under its definition in force: loaded from this task's state on first use, adopting a rewritten
     * definition of the same state, or started afresh when the definition is of a newer generation. A definition that
     * the state cannot follow within its generation is refused: the model's records are dead-lettered (reason
     * {@code incompatible_definition}) until a definition it can follow is written; the other models go on.
     */
    OnlineModel model(ModelDefinition definition) throws InvalidRecordException {
        String name = definition.name();
        OnlineModel model = models.get(name);
        if (model != null && model.definition() == definition) {
            return model;
        }
        Refusal refusal = refused.get(name);
        if (refusal != null && refusal.definition() == definition) {
            throw new InvalidRecordException(RejectReason.INCOMPATIBLE_DEFINITION, "model", refusal.reason());
        }
        refused.remove(name);
        try {
            if (definition.isSharded() && !config.shardingEnabled()) {
                throw new IllegalArgumentException("it is sharded (" + definition.shards() + " shards) and this "
                        + "trainer does not read the shard topics: set shard.enabled=true on every instance of "
                        + "application " + config.applicationId() + " (docs/sharding.md)");
            }
            if (model == null) {
                ModelStateStores.Loaded loaded = stores.load(definition);
                if (loaded.checkpointFirst()) {
                    checkpointFirst.add(name);
                }
                model = loaded.model();
                start(model, loaded.checkpointedSequence());
            } else if (definition.generation() > model.definition().generation()) {
                LOG.warn("Model '{}' starts afresh as generation {} (definition version {}); its learned state of "
                        + "generation {} is discarded", name, definition.generation(), definition.version(),
                        model.definition().generation());
                model = OnlineModel.restart(definition, model, config.evaluationWindow(), config.fadingFactor());
                checkpointFirst.add(name);
                start(model, lastCheckpoint.get(name));
            } else {
                model.adopt(definition);
            }
        } catch (IncompatibleCheckpointException | IllegalArgumentException e) {
            String reason = "model '" + name + "' cannot go on under definition version " + definition.version()
                    + ": " + e.getMessage();
            if (refusal == null || !refusal.reason().equals(reason)) {
                LOG.error("{}", reason);
            }
            refused.put(name, new Refusal(definition, reason));
            metrics.modelRefused(name);
            throw new InvalidRecordException(RejectReason.INCOMPATIBLE_DEFINITION, "model", reason);
        }
        return model;
    }

    private void start(OnlineModel model, long checkpointedSequence) {
        String name = model.definition().name();
        // What the task keeps of earlier generations (events waiting for shards' votes) is of no use any more.
        ended.endedBefore(name, model.definition().generation());
        models.put(name, model);
        encoders.put(name, new FeatureEncoder(model.definition().schema()));
        lastCheckpoint.put(name, checkpointedSequence);
        long now = wallClockNanos.getAsLong();
        checkpointCadence.put(name, new CostAwareCadence(config.checkpointInterval(),
                config.checkpointMaxRecords(), config.checkpointCostFraction(), now));
        snapshotCadence.put(name, new CostAwareCadence(1, Long.MAX_VALUE, config.snapshotCostFraction(), now));
        metrics.preRegister(List.of(name), List.of());
        metrics.model(name).update(model.evaluation(), model.version());
    }

    /** The encoder of a model {@link #model} returned. */
    FeatureEncoder encoder(String name) {
        return encoders.get(name);
    }

    /** The models held, each under the definition it was last used with. */
    Collection<OnlineModel> held() {
        return models.values();
    }

    /** When the model's snapshots may be published, given what they cost. */
    CostAwareCadence snapshotCadence(String name) {
        return snapshotCadence.get(name);
    }

    /** One journaled step of the model. */
    Prediction step(OnlineModel model, JournalEntry entry, TrainerMetrics.ModelStatus status) {
        String name = model.definition().name();
        checkpointIfFirst(model);
        stores.append(name, entry);
        Prediction prediction = model.apply(entry, status);
        checkpointIfDue(model);
        if ((entry.sequence() & 1023) == 0) {
            status.update(model.evaluation(), model.version());
        }
        return prediction;
    }

    /** The model takes its next version number for a snapshot: a journal step ({@link JournalEntry#published}). */
    void markPublished(OnlineModel model) {
        checkpointIfFirst(model);
        JournalEntry published = JournalEntry.published(model.nextSequence());
        stores.append(model.definition().name(), published);
        model.apply(published);
    }

    /** The checkpoint a fresh or restarted model takes before its first step, recording its definition. */
    private void checkpointIfFirst(OnlineModel model) {
        String name = model.definition().name();
        if (checkpointFirst.remove(name)) {
            long started = System.nanoTime();
            long bytes = stores.checkpoint(model, lastCheckpoint.get(name));
            metrics.modelWritten(name, "checkpoint", bytes, System.nanoTime() - started);
            lastCheckpoint.put(name, model.appliedSequence());
        }
    }

    void checkpointIfDue(OnlineModel model) {
        String name = model.definition().name();
        long last = lastCheckpoint.get(name);
        if (!checkpointCadence.get(name).due(model.appliedSequence() - last, wallClockNanos.getAsLong())) {
            return;
        }
        long started = System.nanoTime();
        long bytes = stores.checkpoint(model, last);
        long cost = System.nanoTime() - started;
        checkpointCadence.get(name).written(wallClockNanos.getAsLong(), cost, bytes);
        metrics.modelWritten(name, "checkpoint", bytes, cost);
        lastCheckpoint.put(name, model.appliedSequence());
    }

    /**
     * Brings the models held up to the catalog without waiting for their next record: a deleted model is forgotten,
     * its learned state replaced by an empty one ({@link ModelStateStores#retire}); a model defined anew is started
     * afresh now, so servers get its new schema with the next snapshot.
     */
    void followDefinitions() {
        for (String name : List.copyOf(models.keySet())) {
            Optional<ModelDefinition> current = catalog.find(name);
            if (current.isEmpty()) {
                retire(models.remove(name));
                ended.endedBefore(name, catalog.record(name).filter(DefinedModel::deleted)
                        .map(deleted -> deleted.generation() + 1).orElse(Long.MAX_VALUE));
                encoders.remove(name);
                lastCheckpoint.remove(name);
                checkpointCadence.remove(name);
                snapshotCadence.remove(name);
                checkpointFirst.remove(name);
                metrics.forget(name);
            } else if (current.get() != models.get(name).definition()) {
                try {
                    model(current.get());
                } catch (InvalidRecordException refusedModel) {
                    // Logged and counted by model(); its records are dead-lettered until a definition it can follow.
                }
            }
        }
        refused.keySet().removeIf(name -> !catalog.isDefined(name));
    }

    /**
     * Replaces a deleted model's state with an empty model that keeps only its sequence and version numbers: the
     * learned state is gone, and a model defined again under the name (a new generation) goes on with later versions,
     * which servers that held the old ones take. Its last snapshot stays on the models topic; servers stop serving it.
     */
    private void retire(OnlineModel model) {
        String name = model.definition().name();
        long bytes = stores.retire(model, lastCheckpoint.get(name));
        LOG.info("Model '{}' was deleted: its learned state is dropped from this task ({} bytes of checkpoint kept for "
                + "its version numbers)", name, bytes);
    }

    /** The task moves to another instance or ends: that instance's meters speak for these models from now on. */
    void forgetMeters() {
        models.keySet().forEach(metrics::forget);
    }
}

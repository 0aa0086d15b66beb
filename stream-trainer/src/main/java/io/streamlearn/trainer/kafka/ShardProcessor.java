package io.streamlearn.trainer.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.CostAwareCadence;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import io.streamlearn.trainer.model.ShardStep;
import io.streamlearn.trainer.model.ShardVote;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards of sharded ensembles: each record of the shard-steps topic, keyed {@code model#shard}, is one step of
 * one shard. An event is voted on (the votes go to the vote stage on the shard-votes topic, keyed by event) and
 * learned from when it carries its label; a later label is learned; a publish order publishes the shard's state of
 * that version on the {@code models} topic under {@code model#shard}. A shard's state is kept as a model's is
 * (checkpoint and journal, {@link ModelStateStores}), so a shard recovered after a crash is the shard of an
 * uninterrupted run.
 */
final class ShardProcessor implements Processor<String, byte[], String, TrainerOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(ShardProcessor.class);
    /**
     * How long a step may wait for this instance's copy of the catalog to learn the definition it was sent under, by
     * default: followers of the definitions topic lag each other by a moment in practice, so a longer wait means this
     * instance's follower is stuck, and the trainer fails (its Streams client stops, liveness answers 503).
     */
    static final Duration DEFINITION_WAIT = Duration.ofSeconds(30);

    private final TrainerConfig config;
    private final ModelCatalog catalog;
    private final TrainerMetrics metrics;
    private final SnapshotSigning signing;
    private final BlobChunking chunking;
    private final long definitionWaitMs;
    private final Map<String, OnlineModel> shards = new HashMap<>();
    private final Map<String, Long> lastCheckpoint = new HashMap<>();
    private final Map<String, CostAwareCadence> checkpointCadence = new HashMap<>();
    private ProcessorContext<String, TrainerOutput> context;
    private ModelStateStores stores;

    /** @param definitionWait how long a step waits for the definition it was sent under ({@link #DEFINITION_WAIT}) */
    ShardProcessor(TrainerConfig config, ModelCatalog catalog, TrainerMetrics metrics, Duration definitionWait) {
        this.config = config;
        this.definitionWaitMs = definitionWait.toMillis();
        this.catalog = catalog;
        this.metrics = metrics;
        this.signing = config.snapshotSigning();
        this.chunking = config.chunking();
    }

    @Override
    public void init(ProcessorContext<String, TrainerOutput> processorContext) {
        this.context = processorContext;
        shards.clear();
        lastCheckpoint.clear();
        checkpointCadence.clear();
        stores = new ModelStateStores(context.getStateStore(TrainerTopology.SHARD_CHECKPOINT_STORE),
                context.getStateStore(TrainerTopology.SHARD_JOURNAL_STORE), config.checkpointMaxRecords(),
                config.evaluationWindow(), config.fadingFactor(), chunking);
        context.schedule(config.snapshotInterval(), PunctuationType.WALL_CLOCK_TIME, this::followDefinitions);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String key = record.key();
        int separator = key.lastIndexOf(ModelDefinition.SHARD_SEPARATOR);
        String model = key.substring(0, separator);
        int index = Integer.parseInt(key.substring(separator + 1));
        ShardStep step = ShardStep.decode(record.value());
        Optional<ModelDefinition> definition = definition(model, step.generation());
        if (definition.isEmpty()) {
            // A step of a generation (or a model) deleted or started afresh since: the model's task sends no votes
            // for it any more, nor waits for them.
            metrics.shardStepSkipped(model);
            return;
        }
        OnlineModel shard = shard(key, definition.get(), index);
        switch (step.kind()) {
            case EVENT -> {
                Prediction votes = apply(shard, new JournalEntry(shard.nextSequence(), JournalEntry.Kind.EVENT,
                        source.partition(), source.offset(), step.features(), step.label(), null));
                byte[] vote = new ShardVote(step.generation(), step.id(), step.eventPartition(), step.eventOffset(),
                        index, definition.get().shards(), votes.scores()).encode();
                // Keyed by event: the votes topic spreads events over the vote stage's tasks by this key.
                String event = new PendingKey(model, step.generation(), step.id()).encode();
                context.forward(new Record<>(event, new TrainerOutput.Vote(vote), record.timestamp()));
            }
            case LABEL -> apply(shard, new JournalEntry(shard.nextSequence(), JournalEntry.Kind.DELAYED_LABEL,
                    source.partition(), source.offset(), step.features(), step.label(), null));
            case PUBLISH -> publish(shard, step.version(), record.timestamp());
        }
    }

    /**
     * The definition the step was sent under. This instance's copy of the catalog may lag the one of the instance
     * that sent it (both follow the definitions topic): the step then waits for it, a moment at most in practice.
     */
    private Optional<ModelDefinition> definition(String model, long generation) {
        long deadline = System.currentTimeMillis() + definitionWaitMs;
        while (true) {
            Optional<DefinedModel> known = catalog.record(model);
            if (known.isPresent() && known.get().ended(generation)) {
                return Optional.empty();
            }
            if (known.isPresent() && known.get().generation() == generation) {
                ModelDefinition definition = known.get().definition();
                return definition.isSharded() ? Optional.of(definition) : Optional.empty();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("a shard step of model '" + model + "' generation " + generation
                        + " arrived, and this trainer's definitions did not reach that generation within "
                        + definitionWaitMs + " ms: is it following " + config.definitionsTopic() + "?");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for model '" + model + "'s definition", e);
            }
        }
    }

    /**
     * Brings the shards this task holds up to the catalog without waiting for a step, as the model's task does for its
     * models: a shard whose model was deleted, or started afresh without it (fewer shards, or unsharded), is retired;
     * one whose model was started afresh with it starts afresh now. Steps of the earlier generation still on their way
     * are skipped either way ({@link #definition}).
     */
    private void followDefinitions(long wallClock) {
        for (OnlineModel shard : List.copyOf(shards.values())) {
            ModelDefinition held = shard.definition();
            Optional<DefinedModel> known = catalog.record(held.model());
            if (known.isEmpty() || known.get().generation() < held.generation()
                    || known.get().generation() == held.generation() && !known.get().deleted()) {
                continue;
            }
            ModelDefinition current = known.get().definition();
            if (!known.get().deleted() && current.isSharded() && held.shard() < current.shards()) {
                shard(held.name(), current, held.shard());
            } else {
                retire(shard);
            }
        }
    }

    /**
     * Drops the learned state of a shard whose model no longer has it, as the model's task drops a deleted model's
     * ({@link ModelStateStores#retire}): the stores keep its sequence and version numbers only.
     */
    private void retire(OnlineModel shard) {
        String name = shard.definition().name();
        long bytes = stores.retire(shard, lastCheckpoint.get(name));
        shards.remove(name);
        lastCheckpoint.remove(name);
        checkpointCadence.remove(name);
        metrics.forget(name);
        LOG.info("Shard '{}': its model was deleted or started afresh without it; its learned state is dropped ({} "
                + "bytes of checkpoint kept for its version numbers)", name, bytes);
    }

    /** The shard's state under its model's definition; a definition is built only when the shard is loaded. */
    private OnlineModel shard(String name, ModelDefinition model, int index) {
        OnlineModel shard = shards.get(name);
        if (shard != null && shard.definition().generation() == model.generation()) {
            return shard;
        }
        ModelDefinition definition = model.shard(index);
        if (shard == null) {
            ModelStateStores.Loaded loaded = stores.load(definition);
            shard = loaded.model();
            lastCheckpoint.put(name, loaded.checkpointedSequence());
            if (loaded.checkpointFirst()) {
                checkpoint(shard);
            }
        } else {
            LOG.info("Shard '{}' starts afresh as generation {}", name, definition.generation());
            shard = OnlineModel.restart(definition, shard, config.evaluationWindow(), config.fadingFactor());
            checkpoint(shard);
        }
        shards.put(name, shard);
        checkpointCadence.put(name, new CostAwareCadence(config.checkpointInterval(), config.checkpointMaxRecords(),
                config.checkpointCostFraction(), wallClockNanos()));
        return shard;
    }

    private Prediction apply(OnlineModel shard, JournalEntry entry) {
        String name = shard.definition().name();
        TrainerMetrics.ModelStatus status = metrics.model(name);
        stores.append(name, entry);
        Prediction prediction = shard.apply(entry, status);
        if (checkpointCadence.get(name).due(shard.appliedSequence() - lastCheckpoint.get(name), wallClockNanos())) {
            checkpoint(shard);
        }
        return prediction;
    }

    /** The shard's state of version {@code version}, on the models topic under {@code model#shard}. */
    private void publish(OnlineModel shard, long version, long timestamp) {
        String name = shard.definition().name();
        apply(shard, JournalEntry.publishedAs(shard.nextSequence(), version));
        if (shard.version() != version) {
            LOG.warn("Shard '{}' publishes version {} for its model's version {}", name, shard.version(), version);
        }
        long started = System.nanoTime();
        byte[] snapshot = signing.sign(shard.snapshot(config.shardStepsTopic(), config.shardStepsTopic(), timestamp));
        long bytes = 0;
        for (BlobChunking.Part part : ModelSnapshotCodec.toRecords(name, snapshot, chunking)) {
            context.forward(new Record<>(part.key(), new TrainerOutput.Snapshot(part.value()), timestamp));
            bytes += part.value().length;
        }
        metrics.modelWritten(name, "snapshot", bytes, System.nanoTime() - started);
    }

    /** Writes the shard whole, and tells its cadence what that cost (none yet while the shard is being loaded). */
    private void checkpoint(OnlineModel shard) {
        String name = shard.definition().name();
        long started = System.nanoTime();
        long bytes = stores.checkpoint(shard, lastCheckpoint.get(name));
        long cost = System.nanoTime() - started;
        metrics.modelWritten(name, "checkpoint", bytes, cost);
        lastCheckpoint.put(name, shard.appliedSequence());
        CostAwareCadence cadence = checkpointCadence.get(name);
        if (cadence != null) {
            cadence.written(wallClockNanos(), cost, bytes);
        }
    }

    @Override
    public void close() {
        shards.keySet().forEach(metrics::forget);
    }

    private long wallClockNanos() {
        return context.currentSystemTimeMs() * 1_000_000L;
    }
}

package io.streamlearn.trainer.kafka;

import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.PredictionRecord;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.AwaitedVotes;
import io.streamlearn.trainer.model.HeldLabel;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import io.streamlearn.trainer.model.PendingEvent;
import io.streamlearn.trainer.model.ShardStep;
import io.streamlearn.trainer.model.ShardVote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's side of sharded ensembles, in the task of the model's events (docs/sharding.md): each event and label
 * goes to every shard as a step; the shards' votes for an event are held by event until all are in, then added in shard
 * order into the model's prediction, a journal step of its state like any model's ({@link Steps#step}).
 */
final class ShardedModels {

    private static final Logger LOG = LoggerFactory.getLogger(ShardedModels.class);

    /** What the training processor does for every model: load it, apply a journal step, refuse a held label. */
    interface Steps {

        OnlineModel model(ModelDefinition definition) throws InvalidRecordException;

        Prediction step(OnlineModel model, JournalEntry entry, TrainerMetrics.ModelStatus status);

        void deadLetterHeld(String model, String id, HeldLabel held, String why);
    }

    private final ProcessorContext<String, TrainerOutput> context;
    private final KeyValueStore<String, byte[]> pending;
    /** Events waiting for their shards' votes, by pending key. */
    private final KeyValueStore<String, byte[]> awaited;
    private final EarlyLabels early;
    private final TrainerMetrics metrics;
    private final ModelCatalog catalog;
    private final Steps steps;

    ShardedModels(ProcessorContext<String, TrainerOutput> context, KeyValueStore<String, byte[]> pending,
            KeyValueStore<String, byte[]> awaited, EarlyLabels early, TrainerMetrics metrics, ModelCatalog catalog,
            Steps steps) {
        this.context = context;
        this.pending = pending;
        this.awaited = awaited;
        this.early = early;
        this.metrics = metrics;
        this.catalog = catalog;
        this.steps = steps;
    }

    /**
     * An event of a sharded model goes to every shard; its prediction is made when their votes are all back
     * ({@link #onVote}). A label already held for it goes to the shards right behind it.
     */
    void onEvent(ModelDefinition definition, Event event, double[] features, double label,
            long timestamp, RecordMetadata source, TrainerMetrics.ModelStatus status) throws InvalidRecordException {
        String key = TrainingProcessor.pendingKey(definition, event.id());
        if (awaited.get(key) != null) {
            throw new InvalidRecordException(RejectReason.DUPLICATE_ID, "id", "an earlier event of sharded model '"
                    + definition.name() + "' with id '" + EventCodec.abbreviate(event.id()) + "' is still waiting for "
                    + "its shards' votes");
        }
        status.eventConsumed();
        fanOut(definition, ShardStep.event(definition.generation(), event.id(), source.partition(), source.offset(),
                event.timestamp(), features, label), timestamp);
        AwaitedVotes awaiting = AwaitedVotes.of(source.partition(), source.offset(), event.timestamp(), label,
                definition.shards());
        HeldLabel held = early.take(key);
        if (!Double.isNaN(label)) {
            metrics.label(definition.name(), "inline");
            if (held != null) {
                steps.deadLetterHeld(definition.name(), event.id(), held, "the event carried its label inline");
            }
        } else if (held != null) {
            fanOut(definition, ShardStep.label(definition.generation(), event.id(), features, held.label()), timestamp);
            awaiting = awaiting.withDelayedLabel(held.label(), held.sourcePartition(), held.sourceOffset());
            metrics.label(definition.name(), "joined");
        } else {
            pending.put(key, new PendingEvent(event.timestamp(), features, Prediction.none()).encode());
        }
        awaited.put(key, awaiting.encode());
    }

    /** The shards learn the label now; it is scored once the event's prediction is known. */
    void onLabel(ModelDefinition definition, OnlineModel model, String key, String id,
            PendingEvent event, double label, long timestamp, RecordMetadata source) {
        fanOut(definition, ShardStep.label(definition.generation(), id, event.features(), label), timestamp);
        byte[] open = awaited.get(key);
        if (open != null) {
            awaited.put(key, AwaitedVotes.decode(open).withDelayedLabel(label, source.partition(), source.offset())
                    .encode());
        } else {
            steps.step(model, new JournalEntry(model.nextSequence(), JournalEntry.Kind.DELAYED_LABEL, source.partition(),
                    source.offset(), new double[0], label, event.prediction()), metrics.model(definition.name()));
        }
    }

    /**
     * One shard's votes for an event. With the last of them the model predicts from their sum (a journal step, so a
     * recovered model predicts and scores exactly as before), writes the prediction, and scores a label that came
     * while the votes were out.
     */
    void onVote(Record<String, byte[]> record) throws InvalidRecordException {
        ShardVote vote = ShardVote.decode(record.value());
        Optional<ModelDefinition> current = catalog.find(record.key());
        if (current.isEmpty() || current.get().generation() != vote.generation() || !current.get().isSharded()) {
            metrics.shardStepSkipped(record.key());
            dropIfStale(record.key(), vote);
            return;
        }
        ModelDefinition definition = current.get();
        OnlineModel model = steps.model(definition);
        String key = TrainingProcessor.pendingKey(definition, vote.id());
        byte[] open = awaited.get(key);
        AwaitedVotes awaiting = open == null ? null : AwaitedVotes.decode(open);
        if (awaiting == null || !awaiting.isFor(vote)) {
            throw new IllegalStateException("shard " + vote.shard() + " of model '" + definition.name() + "' voted for "
                    + "event " + vote.eventPartition() + "@" + vote.eventOffset() + ", which is not awaiting votes");
        }
        awaiting = awaiting.with(vote);
        if (!awaiting.complete()) {
            awaited.put(key, awaiting.encode());
            return;
        }
        awaited.delete(key);
        TrainerMetrics.ModelStatus status = metrics.model(definition.name());
        Prediction prediction = steps.step(model, new JournalEntry(model.nextSequence(), JournalEntry.Kind.EVENT,
                awaiting.eventPartition(), awaiting.eventOffset(), awaiting.summedVotes(), awaiting.inlineLabel(),
                null), status);
        if (!Double.isNaN(awaiting.delayedLabel())) {
            steps.step(model, new JournalEntry(model.nextSequence(), JournalEntry.Kind.DELAYED_LABEL,
                    awaiting.labelPartition(), awaiting.labelOffset(), new double[0], awaiting.delayedLabel(),
                    prediction), status);
        } else if (Double.isNaN(awaiting.inlineLabel())) {
            byte[] waiting = pending.get(key);
            if (waiting != null) {
                PendingEvent event = PendingEvent.decode(waiting);
                pending.put(key, new PendingEvent(event.timestamp(), event.features(), prediction).encode());
            }
        }
        byte[] value = PredictionRecord.encode(vote.id(), definition.schema(), model.version(), prediction,
                awaiting.timestamp(), false);
        context.forward(new Record<>(definition.name(), new TrainerOutput.PredictionMade(value), record.timestamp()));
    }

    /**
     * A vote of a generation deleted or started afresh since it was asked for: the event it was for waits no more.
     * (A vote of a generation newer than this instance's copy of the definitions is not stale, only early.)
     */
    private void dropIfStale(String model, ShardVote vote) {
        Optional<DefinedModel> known = catalog.record(model);
        boolean stale = known.isPresent() && (known.get().generation() > vote.generation()
                || known.get().deleted() && known.get().generation() == vote.generation());
        String key = new PendingKey(model, vote.generation(), vote.id()).encode();
        if (stale && awaited.get(key) != null) {
            awaited.delete(key);
        }
    }

    /**
     * Forgets the events of {@code model}'s generations before {@code generation} that still wait for votes: the
     * model was deleted or started afresh, so its shards skip those events' steps and no vote would ever complete them.
     */
    void dropAwaitedBefore(String model, long generation) {
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> keys = awaited.prefixScan(PendingKey.prefixOf(model),
                new StringSerializer())) {
            while (keys.hasNext()) {
                String key = keys.next().key;
                if (PendingKey.decode(key).generation() < generation) {
                    stale.add(key);
                }
            }
        }
        stale.forEach(awaited::delete);
        if (!stale.isEmpty()) {
            LOG.info("Model '{}': {} events of generations before {} no longer wait for their shards' votes", model,
                    stale.size(), generation);
        }
    }

    /** The same step to every shard of the model, each on its own partition of the shard-steps topic. */
    private void fanOut(ModelDefinition definition, ShardStep step, long timestamp) {
        byte[] value = step.encode();
        for (int shard = 0; shard < definition.shards(); shard++) {
            context.forward(new Record<>(definition.name() + ModelDefinition.SHARD_SEPARATOR + shard,
                    new TrainerOutput.ShardStepSent(value), timestamp));
        }
    }

    /** The order to publish {@code version}: every shard publishes its state when the step reaches it. */
    void publish(ModelDefinition definition, long version, long timestamp) {
        fanOut(definition, ShardStep.publish(definition.generation(), version), timestamp);
    }
}

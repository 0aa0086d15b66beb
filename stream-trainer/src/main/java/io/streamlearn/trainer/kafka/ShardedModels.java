package io.streamlearn.trainer.kafka;

import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.PredictionRecord;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.AwaitedVotes;
import io.streamlearn.trainer.model.HeldLabel;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import io.streamlearn.trainer.model.PendingEvent;
import io.streamlearn.trainer.model.ShardStep;
import io.streamlearn.trainer.model.ShardSum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * goes to every shard as a step; the vote stage ({@link VoteProcessor}) adds the shards' votes for the event and sends
 * back their sum, from which the model predicts, in the order of its events, a journal step of its state like any
 * model's ({@link Steps#step}).
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
    /**
     * The keys of the events in {@link #awaited}, by model in the order of their events (their offsets: a task reads
     * one partition of {@code events}), the order their predictions are made in. Memory, rebuilt from the store
     * whenever the task (re)starts.
     */
    private final Map<String, TreeMap<Long, String>> inOrder = new HashMap<>();
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
        try (KeyValueIterator<String, byte[]> all = awaited.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                order(PendingKey.decode(entry.key).model()).put(AwaitedVotes.decode(entry.value).eventOffset(),
                        entry.key);
            }
        }
    }

    private TreeMap<Long, String> order(String model) {
        return inOrder.computeIfAbsent(model, name -> new TreeMap<>());
    }

    /**
     * An event of a sharded model goes to every shard; its prediction is made when the sum of their votes comes back
     * from the vote stage ({@link #onSum}). A label already held for it goes to the shards right behind it.
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
        AwaitedVotes awaiting = AwaitedVotes.of(source.partition(), source.offset(), event.timestamp(), timestamp,
                label);
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
        order(definition.name()).put(source.offset(), key);
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
     * An event's votes, added up by the vote stage. The model predicts from them (a journal step, so a recovered model
     * predicts and scores exactly as before), writes the prediction, and scores a label that came while the votes were
     * out, in the order of its events: a sum that overtook an earlier event's (the vote stage spreads events over
     * tasks) waits for it, so the evaluation is the same sequence in every run.
     */
    void onSum(Record<String, byte[]> record) throws InvalidRecordException {
        ShardSum sum = ShardSum.decode(record.value());
        Optional<ModelDefinition> current = catalog.find(record.key());
        if (current.isEmpty() || current.get().generation() != sum.generation() || !current.get().isSharded()) {
            metrics.shardStepSkipped(record.key());
            dropIfStale(record.key(), sum);
            return;
        }
        ModelDefinition definition = current.get();
        String key = TrainingProcessor.pendingKey(definition, sum.id());
        byte[] open = awaited.get(key);
        AwaitedVotes awaiting = open == null ? null : AwaitedVotes.decode(open);
        if (awaiting == null || !awaiting.isFor(sum) || awaiting.voted()) {
            throw new IllegalStateException("the votes of model '" + definition.name() + "' for event "
                    + sum.eventPartition() + "@" + sum.eventOffset() + " came, and that event is not awaiting them");
        }
        predictInOrder(definition, key, awaiting.with(sum));
    }

    /**
     * Predicts the model's events whose votes are in, oldest first, up to the first still waiting; {@code arrived}
     * (just voted) is kept waiting if an earlier event is. Events of earlier generations found on the way wait no more
     * (restored with the store after a reset this task had not seen).
     */
    private void predictInOrder(ModelDefinition definition, String arrived, AwaitedVotes arrivedVotes)
            throws InvalidRecordException {
        TreeMap<Long, String> order = order(definition.name());
        order.putIfAbsent(arrivedVotes.eventOffset(), arrived);
        boolean arrivedPredicted = false;
        while (!order.isEmpty()) {
            String key = order.firstEntry().getValue();
            AwaitedVotes next;
            if (key.equals(arrived)) {
                next = arrivedVotes;
            } else {
                byte[] stored = PendingKey.decode(key).generation() < definition.generation() ? null : awaited.get(key);
                if (stored == null) {
                    awaited.delete(key);
                    order.pollFirstEntry();
                    continue;
                }
                next = AwaitedVotes.decode(stored);
            }
            if (!next.voted()) {
                break;
            }
            order.pollFirstEntry();
            awaited.delete(key);
            predict(definition, PendingKey.decode(key).id(), key, next);
            arrivedPredicted |= key.equals(arrived);
        }
        if (!arrivedPredicted) {
            awaited.put(arrived, arrivedVotes.encode());
        }
    }

    private void predict(ModelDefinition definition, String id, String key, AwaitedVotes awaiting)
            throws InvalidRecordException {
        OnlineModel model = steps.model(definition);
        TrainerMetrics.ModelStatus status = metrics.model(definition.name());
        Prediction prediction = steps.step(model, new JournalEntry(model.nextSequence(), JournalEntry.Kind.EVENT,
                awaiting.eventPartition(), awaiting.eventOffset(), awaiting.votes(), awaiting.inlineLabel(), null),
                status);
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
        byte[] value = PredictionRecord.encode(id, definition.schema(), model.version(), prediction,
                awaiting.timestamp(), false);
        context.forward(new Record<>(definition.name(), new TrainerOutput.PredictionMade(value),
                awaiting.recordTimestamp()));
    }

    /**
     * The votes of a generation deleted or started afresh since they were asked for: the event they were for waits no
     * more. (Votes of a generation newer than this instance's copy of the definitions are not stale, only early.)
     */
    private void dropIfStale(String model, ShardSum sum) {
        boolean stale = catalog.ended(model, sum.generation());
        String key = new PendingKey(model, sum.generation(), sum.id()).encode();
        if (stale && awaited.get(key) != null) {
            awaited.delete(key);
            TreeMap<Long, String> order = inOrder.get(model);
            if (order != null) {
                order.values().remove(key);
            }
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
        TreeMap<Long, String> order = inOrder.get(model);
        if (order != null) {
            order.values().removeAll(stale);
        }
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

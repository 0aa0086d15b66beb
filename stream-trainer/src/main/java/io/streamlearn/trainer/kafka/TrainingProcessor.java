package io.streamlearn.trainer.kafka;

import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.Label;
import io.streamlearn.core.event.PredictionRecord;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.CostAwareCadence;
import io.streamlearn.trainer.model.HeldLabel;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import io.streamlearn.trainer.model.PendingEvent;
import java.util.Arrays;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predict-then-train on the merged {@code events} and {@code labels} streams (both keyed by model name, so a model's
 * events and labels meet in one task). Emits a prediction per valid event, a dead letter per invalid record, and a
 * model snapshot per model at each snapshot interval.
 *
 * <p>A label usually follows its event, which then waits in the unlabelled-events store. Kafka orders records within
 * one partition only, so a label can also be read before its event (another producer, or the task taking whatever
 * it has fetched; docs/learning.md): such a label is held in {@link EarlyLabels} and joined when the event comes, as
 * if it had arrived right after it (predict, then learn).
 */
final class TrainingProcessor implements Processor<String, byte[], String, TrainerOutput>, ShardedModels.Steps {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingProcessor.class);
    private int processingErrorsLogged;

    private final TrainerConfig config;
    private final ModelCatalog catalog;
    private final TrainerMetrics metrics;
    private final SnapshotSigning signing;
    private final EventCodec codec;
    private final BlobChunking chunking;
    // Read for every record: TrainerConfig derives them from its settings at each call.
    private final String labelsTopic;
    private final String shardSumsTopic;
    private ProcessorContext<String, TrainerOutput> context;
    /** The models this task trains, loaded, started afresh, refused and retired as their definitions say. */
    private TaskModels models;
    private KeyValueStore<String, byte[]> pending;
    /** The events, labels and summed votes of sharded models (docs/sharding.md). */
    private ShardedModels sharded;
    private EarlyLabels early;
    /** Commits as soon as the input goes quiet, told of every record. */
    private QuietCommit quiet;

    TrainingProcessor(TrainerConfig config, ModelCatalog catalog, TrainerMetrics metrics) {
        this.config = config;
        this.signing = config.snapshotSigning();
        this.catalog = catalog;
        this.metrics = metrics;
        this.codec = new EventCodec(config.maxRecordBytes());
        this.chunking = config.chunking();
        this.labelsTopic = config.labelsTopic();
        this.shardSumsTopic = config.shardSumsTopic();
    }

    @Override
    public void init(ProcessorContext<String, TrainerOutput> processorContext) {
        this.context = processorContext;
        // init runs again when a task is revived after an aborted transaction: what memory held is made afresh.
        pending = context.getStateStore(TrainerTopology.PENDING_STORE);
        early = new EarlyLabels(context.getStateStore(TrainerTopology.EARLY_LABELS_STORE), config.labelHoldMax(),
                config.labelHoldMaxBytes());
        sharded = new ShardedModels(context, pending, context.getStateStore(TrainerTopology.AWAITED_VOTES_STORE),
                early, metrics, catalog, this);
        ModelStateStores stores = new ModelStateStores(context.getStateStore(TrainerTopology.CHECKPOINT_STORE),
                context.getStateStore(TrainerTopology.JOURNAL_STORE), config.checkpointMaxRecords(),
                config.evaluationWindow(), config.fadingFactor(), chunking);
        models = new TaskModels(config, catalog, metrics, stores, this::wallClockNanos, sharded::dropAwaitedBefore);
        models.loadHeld();
        context.schedule(config.snapshotInterval(), PunctuationType.WALL_CLOCK_TIME, this::publishSnapshots);
        quiet = QuietCommit.schedule(context);
        long expiryCheck = Math.max(1_000, Math.min(60_000, config.labelTimeToLive().toMillis() / 2));
        context.schedule(java.time.Duration.ofMillis(expiryCheck), PunctuationType.WALL_CLOCK_TIME,
                this::expireUnlabelled);
        long holdCheck = Math.max(1_000, Math.min(60_000, config.labelHoldTime().toMillis() / 2));
        context.schedule(java.time.Duration.ofMillis(holdCheck), PunctuationType.WALL_CLOCK_TIME,
                this::expireEarlyLabels);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        quiet.processed();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        try {
            if (source.topic().equals(labelsTopic)) {
                onLabel(record, source);
            } else if (source.topic().equals(shardSumsTopic)) {
                sharded.onSum(record);
            } else {
                onEvent(record, source);
            }
        } catch (InvalidRecordException problem) {
            deadLetter(record, source, problem);
        } catch (KafkaException e) {
            // Kafka's own (a migrated task, a fenced producer, a store that cannot write) are for Streams to handle.
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Not a record the checks refused: something failed inside (the learner). Set aside, or the trainer would
            // fail on it again at every restart. Errors such as OutOfMemoryError still end the client (liveness).
            if (processingErrorsLogged++ < 20) {
                LOG.warn("Set the record at {}-{}@{} aside in the dead-letter topic (reason processing_error; the first "
                        + "20 are logged)", source.topic(), source.partition(), source.offset(), e);
            }
            deadLetter(record, source, new InvalidRecordException(RejectReason.PROCESSING_ERROR, null,
                    EventCodec.abbreviate(e.toString())));
        }
    }

    private void deadLetter(Record<String, byte[]> record, RecordMetadata source, InvalidRecordException problem) {
        metrics.deadLetter(problem.reason(), source.topic());
        byte[] value = record.value();
        var headers = DeadLetterHeaders.of(record.headers(), problem, source);
        if (value != null && value.length > config.maxRecordBytes()) {
            value = Arrays.copyOf(value, config.maxRecordBytes());
            DeadLetterHeaders.truncated(headers, record.value().length);
        }
        context.forward(new Record<>(record.key(), new TrainerOutput.DeadLetter(value), record.timestamp(), headers));
    }

    private void onEvent(Record<String, byte[]> record, RecordMetadata source) throws InvalidRecordException {
        Event event = codec.decodeEvent(record.value(), record.key(), record.timestamp());
        ModelDefinition definition = definition(event.model());
        OnlineModel model = model(definition);
        FeatureEncoder encoder = models.encoder(definition.name());
        double[] features = encoder.encodeFeatures(event.features());
        double label = encoder.encodeLabel(event.label());
        TrainerMetrics.ModelStatus status = metrics.model(definition.name());
        if (definition.isSharded()) {
            sharded.onEvent(definition, event, features, label, record.timestamp(), source, status);
            return;
        }
        JournalEntry entry = new JournalEntry(model.nextSequence(), JournalEntry.Kind.EVENT, source.partition(),
                source.offset(), features, label, null);
        Prediction prediction = step(model, entry, status);
        status.eventConsumed();
        boolean alert = model.lastEventAlerted();
        String key = pendingKey(definition, event.id());
        HeldLabel held = early.take(key);
        if (!Double.isNaN(label)) {
            metrics.label(definition.name(), "inline");
            if (held != null) {
                deadLetterHeld(definition.name(), event.id(), held, "the event carried its label inline");
            }
        } else if (held != null) {
            step(model, new JournalEntry(model.nextSequence(), JournalEntry.Kind.DELAYED_LABEL, held.sourcePartition(),
                    held.sourceOffset(), features, held.label(), prediction), status);
            metrics.label(definition.name(), "joined");
        } else {
            pending.put(key, new PendingEvent(event.timestamp(), features, prediction).encode());
        }
        byte[] value = PredictionRecord.encode(event.id(), definition.schema(), model.version(), prediction,
                event.timestamp(), alert);
        context.forward(new Record<>(definition.name(), new TrainerOutput.PredictionMade(value), record.timestamp()));
        if (alert) {
            status.anomalyAlerted();
            byte[] alertValue = PredictionRecord.encodeAlert(event.id(), definition.name(), model.version(),
                    prediction.value(), event.timestamp());
            context.forward(new Record<>(definition.name(), new TrainerOutput.AnomalyAlert(alertValue),
                    record.timestamp()));
        }
    }

    private void onLabel(Record<String, byte[]> record, RecordMetadata source) throws InvalidRecordException {
        Label label = codec.decodeLabel(record.value(), record.key());
        ModelDefinition definition = definition(label.model());
        OnlineModel model = model(definition);
        String key = pendingKey(definition, label.id());
        byte[] waiting = pending.get(key);
        double encoded = models.encoder(definition.name()).encodeLabel(label.label());
        if (waiting == null) {
            if (early.hold(key, new HeldLabel(record.timestamp(), source.partition(), source.offset(), encoded,
                    record.value()), this::evictEarlyLabel)) {
                metrics.label(definition.name(), "held");
                return;
            }
            metrics.label(definition.name(), "unmatched");
            throw new InvalidRecordException(RejectReason.UNKNOWN_ID, "id", "no unlabelled event with id '"
                    + EventCodec.abbreviate(label.id()) + "' is waiting (unknown, already labelled or expired), and "
                    + "the label cannot wait for it (a label for this id is already held, label.hold.max = "
                    + config.labelHoldMax() + " labels are, or it is larger than label.hold.max.bytes = "
                    + config.labelHoldMaxBytes() + ")");
        }
        PendingEvent event = PendingEvent.decode(waiting);
        if (definition.isSharded()) {
            sharded.onLabel(definition, model, key, label.id(), event, encoded, record.timestamp(), source);
            pending.delete(key);
            metrics.label(definition.name(), "joined");
            return;
        }
        step(model, new JournalEntry(model.nextSequence(), JournalEntry.Kind.DELAYED_LABEL, source.partition(),
                source.offset(), event.features(), encoded, event.prediction()), metrics.model(definition.name()));
        pending.delete(key);
        metrics.label(definition.name(), "joined");
    }

    @Override
    public Prediction step(OnlineModel model, JournalEntry entry, TrainerMetrics.ModelStatus status) {
        return models.step(model, entry, status);
    }

    /**
     * Publishes each changed model, unless its last snapshot cost more than {@code snapshot.cost.fraction} of the time
     * since: then it waits for a later interval. The new version is a journal step ({@link JournalEntry#published}), so
     * a restored model takes the same version numbers without a checkpoint per snapshot.
     */
    private void publishSnapshots(long wallClock) {
        models.followDefinitions();
        for (OnlineModel model : models.held()) {
            String name = model.definition().name();
            if (!model.hasUnpublishedChanges()) {
                continue;
            }
            CostAwareCadence cadence = models.snapshotCadence(name);
            if (!cadence.due(1, wallClockNanos())) {
                metrics.snapshotDeferred(name);
                continue;
            }
            // A snapshot is readable once its transaction commits: ask for that now rather than at the commit
            // interval, which under exactly-once is longer than Kafka's default (TrainerTopology.streamsProperties).
            context.commit();
            long started = System.nanoTime();
            models.markPublished(model);
            if (model.definition().isSharded()) {
                sharded.publish(model.definition(), model.version(), wallClock);
            }
            byte[] snapshot = signing.sign(model.snapshot(config.eventsTopic(), config.labelsTopic(), wallClock));
            long bytes = 0;
            for (BlobChunking.Part part : ModelSnapshotCodec.toRecords(name, snapshot, chunking)) {
                context.forward(new Record<>(part.key(), new TrainerOutput.Snapshot(part.value()), wallClock));
                bytes += part.value().length;
            }
            long cost = System.nanoTime() - started;
            cadence.written(wallClockNanos(), cost, bytes);
            metrics.modelWritten(name, "snapshot", bytes, cost);
            metrics.snapshot(name, snapshot.length);
            TrainerMetrics.ModelStatus status = metrics.model(name);
            status.update(model.evaluation(), model.version());
            status.snapshotPublished(wallClock);
            models.checkpointIfDue(model);
        }
    }

    private void expireUnlabelled(long wallClock) {
        long horizon = context.currentStreamTimeMs() - config.labelTimeToLive().toMillis();
        try (KeyValueIterator<String, byte[]> all = pending.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (PendingEvent.decode(entry.value).timestamp() < horizon) {
                    pending.delete(entry.key);
                    metrics.label(PendingKey.decode(entry.key).model(), "expired");
                }
            }
        }
    }

    private void expireEarlyLabels(long wallClock) {
        long horizon = context.currentStreamTimeMs() - config.labelHoldTime().toMillis();
        early.expire(horizon, (key, held) -> {
            PendingKey pendingKey = PendingKey.decode(key);
            deadLetterHeld(pendingKey.model(), pendingKey.id(), held,
                    "no event with this id arrived within label.hold.ms = " + config.labelHoldTime().toMillis());
        });
    }

    /** A held label pushed out by newer ones: the hold keeps within label.hold.max.bytes by dropping its oldest. */
    private void evictEarlyLabel(String key, HeldLabel held) {
        PendingKey pendingKey = PendingKey.decode(key);
        deadLetterHeld(pendingKey.model(), pendingKey.id(), held, "evicted, the oldest held "
                + "label, to keep the hold within label.hold.max.bytes = " + config.labelHoldMaxBytes(), "evicted");
    }

    /** A held label refused after all: {@code unknown_id}, as a label without an event was before it was held. */
    @Override
    public void deadLetterHeld(String model, String id, HeldLabel held, String why) {
        deadLetterHeld(model, id, held, why, "unmatched");
    }

    /** @param outcome the {@code streamlearn.train.labels} outcome it counts as */
    private void deadLetterHeld(String model, String id, HeldLabel held, String why, String outcome) {
        InvalidRecordException problem = new InvalidRecordException(RejectReason.UNKNOWN_ID, "id",
                "label for id '" + EventCodec.abbreviate(id) + "' was held for its event: " + why);
        metrics.label(model, outcome);
        metrics.deadLetter(problem.reason(), config.labelsTopic());
        context.forward(new Record<>(model, new TrainerOutput.DeadLetter(held.original()), held.timestamp(),
                DeadLetterHeaders.of(problem, config.labelsTopic(), held.sourcePartition(), held.sourceOffset())));
    }

    private ModelDefinition definition(String model) throws InvalidRecordException {
        return catalog.find(model).orElseThrow(() -> new InvalidRecordException(RejectReason.UNKNOWN_MODEL, "model",
                "model '" + EventCodec.abbreviate(model) + "' is not defined (streamlearn models list)"));
    }

    /** The model under its definition in force ({@link TaskModels#model}). */
    @Override
    public OnlineModel model(ModelDefinition definition) throws InvalidRecordException {
        return models.model(definition);
    }

    /** The task moves to another instance or ends: that instance's meters speak for these models from now on. */
    @Override
    public void close() {
        models.forgetMeters();
    }

    /** Kafka Streams' wall clock (the driver's in tests), as the time base of the write cadences. */
    private long wallClockNanos() {
        return context.currentSystemTimeMs() * 1_000_000L;
    }

    static String pendingKey(ModelDefinition definition, String id) {
        return new PendingKey(definition.name(), definition.generation(), id).encode();
    }
}

package io.streamlearn.trainer.model;

import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.learn.SafeSerialization;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.model.ModelDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import io.streamlearn.core.eval.AlertRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The live state of one model in the trainer: learner, prequential evaluator and counters. Every change goes through
 * {@link #apply(JournalEntry)}, live or on replay, so a model rebuilt from a checkpoint and the journal after it is the
 * model an uninterrupted run would have.
 */
public final class OnlineModel {

    private ModelDefinition definition;
    private final OnlineLearner learner;
    private final PrequentialEvaluator evaluator;
    // Next input offset per partition, of the events topic and of the labels topic.
    private final Map<Integer, Long> nextEventOffsets;
    private final Map<Integer, Long> nextLabelOffsets;
    private long appliedSequence;
    private long version;
    private long publishedSequence;
    private long eventsSeen;
    private long labelsLearned;
    private boolean lastEventAlerted;

    private OnlineModel(ModelDefinition definition, OnlineLearner learner, PrequentialEvaluator evaluator,
            Map<Integer, Long> nextEventOffsets, Map<Integer, Long> nextLabelOffsets) {
        this.definition = definition;
        this.learner = learner;
        this.evaluator = evaluator;
        this.nextEventOffsets = nextEventOffsets;
        this.nextLabelOffsets = nextLabelOffsets;
    }

    public static OnlineModel fresh(ModelDefinition definition, int evaluationWindow) {
        return fresh(definition, evaluationWindow, PrequentialEvaluator.DEFAULT_FADING_FACTOR);
    }

    /** @param fadingFactor α of the fading-factor figures (Gama et al. 2013) */
    public static OnlineModel fresh(ModelDefinition definition, int evaluationWindow, double fadingFactor) {
        return new OnlineModel(definition, learner(definition),
                definition.isShard() ? PrequentialEvaluator.unscored()
                        : PrequentialEvaluator.forSchema(definition.schema(), evaluationWindow, fadingFactor,
                                definition.alertRule()),
                new TreeMap<>(), new TreeMap<>());
    }

    /**
     * A fresh model under {@code definition} (a new generation) that continues {@code previous}'s journal sequence and
     * version numbers, so servers see the new model as a newer version. It counts as changed, so its first snapshot
     * (the new schema, nothing learned yet) replaces the old model's without waiting for an event.
     */
    public static OnlineModel restart(ModelDefinition definition, OnlineModel previous, int evaluationWindow,
            double fadingFactor) {
        OnlineModel model = fresh(definition, evaluationWindow, fadingFactor);
        model.nextEventOffsets.putAll(previous.nextEventOffsets);
        model.nextLabelOffsets.putAll(previous.nextLabelOffsets);
        model.appliedSequence = previous.appliedSequence;
        model.version = previous.version;
        model.publishedSequence = previous.appliedSequence - 1;
        return model;
    }

    /**
     * Goes on under {@code newer}, a definition of the same learned state (e.g. the same one written again).
     *
     * @throws IllegalArgumentException when {@code newer} changes the state's definition
     */
    public void adopt(ModelDefinition newer) {
        List<String> changes = definition.stateChanges(newer);
        if (!changes.isEmpty() || newer.generation() != definition.generation()) {
            throw new IllegalArgumentException("model '" + definition.name() + "' cannot go on under definition "
                    + "version " + newer.version() + ": " + String.join("; ", changes));
        }
        definition = newer;
    }

    /**
     * Predicts (for an event) and learns when the entry carries a label. Returns the prediction made for an event, or
     * {@code null} for a delayed label.
     */
    public Prediction apply(JournalEntry entry) {
        return apply(entry, StepTimes.IGNORED);
    }

    /** As {@link #apply(JournalEntry)}, reporting how long predicting and learning took. */
    public Prediction apply(JournalEntry entry, StepTimes times) {
        if (entry.sequence() != appliedSequence + 1) {
            throw new IllegalStateException("journal entry " + entry.sequence() + " does not follow "
                    + appliedSequence + " for model " + definition.name());
        }
        if (entry.kind() == JournalEntry.Kind.PUBLISHED) {
            version = Math.max(version + 1, entry.sourceOffset());
            appliedSequence = entry.sequence();
            publishedSequence = appliedSequence;
            return null;
        }
        Prediction prediction = null;
        if (entry.kind() == JournalEntry.Kind.EVENT) {
            long start = System.nanoTime();
            prediction = learner.predict(entry.features());
            times.predicted(System.nanoTime() - start);
            eventsSeen++;
            learnIfLabelled(entry.features(), entry.label(), prediction, times);
            lastEventAlerted = evaluator.observe(prediction);
            learner.observe(entry.features());
        } else {
            learnIfLabelled(entry.features(), entry.label(), entry.earlierPrediction(), times);
        }
        Map<Integer, Long> offsets = entry.kind() == JournalEntry.Kind.EVENT ? nextEventOffsets : nextLabelOffsets;
        offsets.merge(entry.sourcePartition(), entry.sourceOffset() + 1, Math::max);
        appliedSequence = entry.sequence();
        return prediction;
    }

    private void learnIfLabelled(double[] features, double label, Prediction prediction, StepTimes times) {
        if (Double.isNaN(label)) {
            return;
        }
        evaluator.record(label, prediction);
        long start = System.nanoTime();
        learner.learn(features, label);
        times.learned(System.nanoTime() - start);
        labelsLearned++;
    }

    /** True when the last event applied raised an anomaly alert (always false for the other tasks). */
    public boolean lastEventAlerted() {
        return lastEventAlerted;
    }

    public long nextSequence() {
        return appliedSequence + 1;
    }

    public long appliedSequence() {
        return appliedSequence;
    }

    /** True when the model has changed since its last published snapshot. */
    public boolean hasUnpublishedChanges() {
        return appliedSequence != publishedSequence;
    }

    public long version() {
        return version;
    }

    public long eventsSeen() {
        return eventsSeen;
    }

    public long labelsLearned() {
        return labelsLearned;
    }

    public Evaluation evaluation() {
        return evaluator.evaluation();
    }

    public ModelDefinition definition() {
        return definition;
    }

    /**
     * The current version as a snapshot for the {@code models} topic, naming the input partitions it covers. A new
     * version is taken by applying {@link JournalEntry#published} first.
     */
    public byte[] snapshot(String eventsTopic, String labelsTopic, long createdAt) {
        Map<String, Long> offsets = new TreeMap<>();
        nextEventOffsets.forEach((partition, offset) -> offsets.put(eventsTopic + "-" + partition, offset));
        nextLabelOffsets.forEach((partition, offset) -> offsets.put(labelsTopic + "-" + partition, offset));
        ModelMetadata metadata = new ModelMetadata(definition.name(), version, definition.learnerSpec(),
                definition.schema(), offsets, eventsSeen, labelsLearned, evaluator.evaluation(), createdAt,
                ModelSnapshotCodec.FORMAT_VERSION).withShards(definition.shards());
        return ModelSnapshotCodec.encode(new ModelSnapshot(metadata, learner.snapshot()));
    }

    /**
     * The model's state for the checkpoint store. Format 4 begins with {@link #CHECKPOINT_FORMAT_4} and the
     * definition of the learned state ({@link Origin}), so that a restore under a changed definition is refused, or
     * starts a new generation, instead of feeding the learner vectors of another shape. Format 3 had no shards, format 2 no generation
     * or alert rule; format 1 began with the applied sequence, never negative.
     */
    public byte[] checkpoint() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(CHECKPOINT_FORMAT_4);
            writeBlock(out, definition.learnerSpec().getBytes(StandardCharsets.UTF_8));
            writeBlock(out, definition.schema().toJson().getBytes(StandardCharsets.UTF_8));
            out.writeLong(definition.generation());
            AlertRule rule = definition.alertRule();
            out.writeDouble(rule.threshold() == null ? Double.NaN : rule.threshold());
            out.writeDouble(rule.rate());
            out.writeInt(definition.shards());
            out.writeInt(definition.shard());
            out.writeLong(appliedSequence);
            out.writeLong(version);
            out.writeLong(publishedSequence);
            out.writeLong(eventsSeen);
            out.writeLong(labelsLearned);
            writeOffsets(out, nextEventOffsets);
            writeOffsets(out, nextLabelOffsets);
            writeBlock(out, SafeSerialization.serialize(evaluator));
            writeBlock(out, learner.snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The definition a checkpoint's state was learned under; format 2 knew no generation (1) or alert rule, formats
     * 2 and 3 no shards (unsharded).
     */
    public record Origin(String learnerSpec, FeatureSchema schema, long generation, AlertRule alertRule, int shards,
            int shard) {

        /** The origin as a definition, for comparing with the current one. */
        public ModelDefinition definition(AlertRule unknownRule) {
            return new ModelDefinition(schema, learnerSpec, alertRule == null ? unknownRule : alertRule, generation, 1,
                    shards, shard);
        }
    }

    /** What {@code checkpoint} was learned under; empty for a format-1 checkpoint, which did not say. */
    public static Optional<Origin> origin(byte[] checkpoint) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            return readOrigin(in, in.readLong());
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint is unreadable", e);
        }
    }

    private static Optional<Origin> readOrigin(DataInputStream in, long format) throws IOException {
        if (format != CHECKPOINT_FORMAT_2 && format != CHECKPOINT_FORMAT_3 && format != CHECKPOINT_FORMAT_4) {
            return Optional.empty();
        }
        String learnerSpec = new String(readBlock(in), StandardCharsets.UTF_8);
        FeatureSchema schema = FeatureSchema.fromJson(new String(readBlock(in), StandardCharsets.UTF_8));
        if (format == CHECKPOINT_FORMAT_2) {
            return Optional.of(new Origin(learnerSpec, schema, 1, null, 0, -1));
        }
        long generation = in.readLong();
        double threshold = in.readDouble();
        double rate = in.readDouble();
        int shards = format == CHECKPOINT_FORMAT_4 ? in.readInt() : 0;
        int shard = format == CHECKPOINT_FORMAT_4 ? in.readInt() : -1;
        return Optional.of(new Origin(learnerSpec, schema, generation,
                new AlertRule(Double.isNaN(threshold) ? null : threshold, rate), shards, shard));
    }

    /**
     * The model a checkpoint holds, under {@code definition}.
     *
     * @throws IncompatibleCheckpointException when the checkpoint was learned under another definition (learner,
     *         schema, alert rule or generation)
     */
    public static OnlineModel restore(ModelDefinition definition, byte[] checkpoint) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            long first = in.readLong();
            Optional<Origin> origin = readOrigin(in, first);
            if (origin.isPresent()) {
                IncompatibleCheckpointException.check(definition, origin.get());
            }
            long appliedSequence = origin.isPresent() ? in.readLong() : first;
            long version = in.readLong();
            long publishedSequence = in.readLong();
            long eventsSeen = in.readLong();
            long labelsLearned = in.readLong();
            Map<Integer, Long> eventOffsets = readOffsets(in);
            Map<Integer, Long> labelOffsets = readOffsets(in);
            PrequentialEvaluator evaluator = SafeSerialization.deserialize(readBlock(in), PrequentialEvaluator.class);
            OnlineLearner learner = restoreLearner(definition, readBlock(in));
            OnlineModel model = new OnlineModel(definition, learner, evaluator, eventOffsets, labelOffsets);
            model.appliedSequence = appliedSequence;
            model.version = version;
            model.publishedSequence = publishedSequence;
            model.eventsSeen = eventsSeen;
            model.labelsLearned = labelsLearned;
            return model;
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint of model " + definition.name() + " is unreadable", e);
        }
    }

    /** A sharded model's own state votes (its shards learn); a shard's learns its share of the members. */
    private static OnlineLearner learner(ModelDefinition definition) {
        if (definition.isShard()) {
            return LearnerFactory.createShard(definition.learnerSpec(), definition.schema(), definition.shard(),
                    definition.shards());
        }
        if (definition.isSharded()) {
            return LearnerFactory.createCombiner(definition.learnerSpec(), definition.schema());
        }
        return LearnerFactory.create(definition.learnerSpec(), definition.schema());
    }

    private static OnlineLearner restoreLearner(ModelDefinition definition, byte[] snapshot) {
        if (definition.isShard()) {
            return LearnerFactory.restoreShard(definition.learnerSpec(), definition.schema(), snapshot);
        }
        if (definition.isSharded()) {
            return LearnerFactory.restoreCombiner(definition.learnerSpec(), snapshot);
        }
        return LearnerFactory.restore(definition.learnerSpec(), definition.schema(), snapshot);
    }

    /** The first long of a format-2 checkpoint; a format-1 checkpoint begins with a sequence number (0 or more). */
    static final long CHECKPOINT_FORMAT_2 = -2L;
    /** The first long of a format-3 checkpoint, which adds the generation and alert rule to format 2's origin. */
    static final long CHECKPOINT_FORMAT_3 = -3L;
    /** The first long of a format-4 checkpoint, which adds the shards and the shard to format 3's origin. */
    static final long CHECKPOINT_FORMAT_4 = -4L;

    private static void writeOffsets(DataOutputStream out, Map<Integer, Long> offsets) throws IOException {
        out.writeInt(offsets.size());
        for (Map.Entry<Integer, Long> offset : offsets.entrySet()) {
            out.writeInt(offset.getKey());
            out.writeLong(offset.getValue());
        }
    }

    private static Map<Integer, Long> readOffsets(DataInputStream in) throws IOException {
        Map<Integer, Long> offsets = new TreeMap<>();
        int partitions = in.readInt();
        for (int i = 0; i < partitions; i++) {
            offsets.put(in.readInt(), in.readLong());
        }
        return offsets;
    }

    private static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
        out.writeInt(block.length);
        out.write(block);
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        byte[] block = new byte[in.readInt()];
        in.readFully(block);
        return block;
    }
}

package io.streamlearn.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.TransformSpec;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TestModels;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnlineModelTest {

    @Test
    void checkpointPlusJournalReplayEqualsTheUninterruptedModel() {
        List<JournalEntry> journal = journal(3000);
        OnlineModel uninterrupted = OnlineModel.fresh(TestModels.definition("trees.HoeffdingTree -g 50"), 500);
        OnlineModel beforeCrash = OnlineModel.fresh(TestModels.definition("trees.HoeffdingTree -g 50"), 500);
        byte[] checkpoint = null;
        for (JournalEntry entry : journal) {
            uninterrupted.apply(entry);
            if (entry.sequence() <= 2000) {
                beforeCrash.apply(entry);
            }
            if (entry.sequence() == 1700) {
                checkpoint = beforeCrash.checkpoint();
            }
        }
        OnlineModel recovered = OnlineModel.restore(TestModels.definition("trees.HoeffdingTree -g 50"), checkpoint);
        assertThat(recovered.nextSequence()).isEqualTo(1701);
        journal.stream().filter(e -> e.sequence() > 1700).forEach(recovered::apply);

        assertThat(recovered.checkpoint()).isEqualTo(uninterrupted.checkpoint());
        assertThat(recovered.evaluation()).isEqualTo(uninterrupted.evaluation());
        assertThat(recovered.eventsSeen()).isEqualTo(3000);
    }

    /** A checkpoint names the learner and schema it was trained under; a restore under another one is refused. */
    @Test
    void aCheckpointIsRefusedUnderAChangedSchemaOrLearnerAndNamesTheChange() {
        OnlineModel model = OnlineModel.fresh(TestModels.definition("trees.HoeffdingTree -g 50"), 500);
        journal(300).forEach(model::apply);
        byte[] checkpoint = model.checkpoint();

        FeatureSchema widened = new FeatureSchema(TestModels.MODEL, TestModels.schema().target(), List.of(
                FeatureSpec.numeric("x"), FeatureSpec.nominal("color", List.of("red", "blue", "green")),
                FeatureSpec.numeric("z")));
        assertThatThrownBy(() -> OnlineModel.restore(new ModelDefinition(widened, "trees.HoeffdingTree -g 50"),
                checkpoint)).isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("model '" + TestModels.MODEL + "'")
                .hasMessageContaining("feature z added").hasMessageContaining("feature color changed");
        assertThatThrownBy(() -> OnlineModel.restore(TestModels.definition("bayes.NaiveBayes"), checkpoint))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("learner 'trees.HoeffdingTree -g 50' is now 'bayes.NaiveBayes'");
        assertThat(OnlineModel.restore(TestModels.definition("trees.HoeffdingTree -g 50"), checkpoint).checkpoint())
                .isEqualTo(checkpoint);
    }

    /** Checkpoints of earlier builds (format 1: no definition in front) still restore, unchecked. */
    @Test
    void aFormatOneCheckpointStillRestores() throws Exception {
        OnlineModel model = OnlineModel.fresh(TestModels.definition("trees.HoeffdingTree -g 50"), 500);
        journal(300).forEach(model::apply);
        byte[] checkpoint = model.checkpoint();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint));
        assertThat(in.readLong()).isEqualTo(OnlineModel.CHECKPOINT_FORMAT_4);
        in.skipBytes(in.readInt());
        in.skipBytes(in.readInt());
        in.skipBytes(ORIGIN_AFTER_SCHEMA);
        byte[] formatOne = in.readAllBytes();

        OnlineModel restored = OnlineModel.restore(TestModels.definition("trees.HoeffdingTree -g 50"), formatOne);
        assertThat(restored.checkpoint()).isEqualTo(checkpoint);
        assertThat(restored.nextSequence()).isEqualTo(model.nextSequence());
    }

    /** Format 2 (learner and schema, no generation or alert rule) restores as generation 1. */
    @Test
    void aFormatTwoCheckpointRestoresAsTheFirstGeneration() throws Exception {
        ModelDefinition definition = TestModels.definition("trees.HoeffdingTree -g 50");
        OnlineModel model = OnlineModel.fresh(definition, 500);
        journal(300).forEach(model::apply);
        byte[] checkpoint = model.checkpoint();
        int originEnd = afterSchema(checkpoint);
        java.io.ByteArrayOutputStream formatTwo = new java.io.ByteArrayOutputStream();
        new java.io.DataOutputStream(formatTwo).writeLong(OnlineModel.CHECKPOINT_FORMAT_2);
        formatTwo.write(checkpoint, Long.BYTES, originEnd - Long.BYTES);
        formatTwo.write(checkpoint, originEnd + ORIGIN_AFTER_SCHEMA, checkpoint.length - originEnd - ORIGIN_AFTER_SCHEMA);

        assertThat(OnlineModel.origin(formatTwo.toByteArray())).hasValueSatisfying(origin -> {
            assertThat(origin.generation()).isEqualTo(1);
            assertThat(origin.learnerSpec()).isEqualTo("trees.HoeffdingTree -g 50");
        });
        OnlineModel restored = OnlineModel.restore(definition, formatTwo.toByteArray());
        assertThat(restored.checkpoint()).isEqualTo(checkpoint);
        assertThatThrownBy(() -> OnlineModel.restore(definition.withGeneration(2), formatTwo.toByteArray()))
                .isInstanceOf(IncompatibleCheckpointException.class).hasMessageContaining("generation 1 is now 2");
    }

    /** Format 3 (no shards) restores as an unsharded model. */
    @Test
    void aFormatThreeCheckpointRestoresUnsharded() throws Exception {
        ModelDefinition definition = TestModels.definition("trees.HoeffdingTree -g 50");
        OnlineModel model = OnlineModel.fresh(definition, 500);
        journal(300).forEach(model::apply);
        byte[] checkpoint = model.checkpoint();
        int shardsAt = afterSchema(checkpoint) + 3 * Long.BYTES;
        java.io.ByteArrayOutputStream formatThree = new java.io.ByteArrayOutputStream();
        new java.io.DataOutputStream(formatThree).writeLong(OnlineModel.CHECKPOINT_FORMAT_3);
        formatThree.write(checkpoint, Long.BYTES, shardsAt - Long.BYTES);
        formatThree.write(checkpoint, shardsAt + 2 * Integer.BYTES, checkpoint.length - shardsAt - 2 * Integer.BYTES);

        assertThat(OnlineModel.origin(formatThree.toByteArray())).hasValueSatisfying(origin -> {
            assertThat(origin.shards()).isZero();
            assertThat(origin.shard()).isEqualTo(-1);
        });
        assertThat(OnlineModel.restore(definition, formatThree.toByteArray()).checkpoint()).isEqualTo(checkpoint);
    }

    /** Where a checkpoint's origin goes on after its learner spec and schema blocks (behind the format long). */
    private static int afterSchema(byte[] checkpoint) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(checkpoint);
        buffer.getLong();
        for (int block = 0; block < 2; block++) {
            int length = buffer.getInt();
            buffer.position(buffer.position() + length);
        }
        return buffer.position();
    }

    /** Generation, alert threshold and rate, shards and shard: what format 4's origin holds after the schema. */
    private static final int ORIGIN_AFTER_SCHEMA = 3 * Long.BYTES + 2 * Integer.BYTES;

    /** The feature pipeline learns through apply too, so its statistics recover with the learner. */
    @Test
    void checkpointPlusJournalReplayRecoversTheFeaturePipelineExactly() {
        ModelDefinition definition = new ModelDefinition(TestModels.schema().withTransforms(List.of(
                TransformSpec.impute("x", "median", null), TransformSpec.clip("x", 0.05, 0.95),
                TransformSpec.derive("x2", "x * x"), TransformSpec.scale("x"), TransformSpec.oneHot("color"))),
                "functions.Perceptron");
        List<JournalEntry> journal = journalWithGapsAndDelayedLabels(3000);
        OnlineModel uninterrupted = OnlineModel.fresh(definition, 500);
        OnlineModel beforeCrash = OnlineModel.fresh(definition, 500);
        for (JournalEntry entry : journal) {
            uninterrupted.apply(entry);
            if (entry.sequence() <= 1700) {
                beforeCrash.apply(entry);
            }
        }
        OnlineModel recovered = OnlineModel.restore(definition, beforeCrash.checkpoint());
        journal.stream().filter(e -> e.sequence() > 1700).forEach(recovered::apply);

        assertThat(recovered.checkpoint()).isEqualTo(uninterrupted.checkpoint());
        assertThat(recovered.evaluation()).isEqualTo(uninterrupted.evaluation());
        double[] missingX = {Double.NaN, 1};
        assertThat(recovered.apply(next(recovered, missingX)).scores())
                .containsExactly(uninterrupted.apply(next(uninterrupted, missingX)).scores());
    }

    @Test
    void delayedLabelsAreScoredWithThePredictionServedForTheirEvent() {
        OnlineModel model = OnlineModel.fresh(TestModels.definition("bayes.NaiveBayes"), 100);
        var prediction = model.apply(new JournalEntry(1, JournalEntry.Kind.EVENT, 0, 0, new double[] {1, 0},
                Double.NaN, null));
        assertThat(model.labelsLearned()).isZero();
        model.apply(new JournalEntry(2, JournalEntry.Kind.DELAYED_LABEL, 0, 5, new double[] {1, 0}, 0, prediction));
        assertThat(model.labelsLearned()).isEqualTo(1);
        assertThat(model.evaluation().instances()).isEqualTo(1);
        assertThat(model.eventsSeen()).isEqualTo(1);
    }

    @Test
    void refusesAJournalEntryOutOfSequence() {
        OnlineModel model = OnlineModel.fresh(TestModels.definition("bayes.NaiveBayes"), 100);
        JournalEntry skipped = new JournalEntry(2, JournalEntry.Kind.EVENT, 0, 0, new double[] {1, 0}, 0, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.apply(skipped))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void journalEntriesSurviveTheirBinaryForm() {
        JournalEntry entry = new JournalEntry(7, JournalEntry.Kind.DELAYED_LABEL, 3, 99, new double[] {1.5, Double.NaN},
                1, new io.streamlearn.core.learn.Prediction(0, new double[] {0.75, 0.25}));
        JournalEntry decoded = JournalEntry.decode(entry.encode());
        assertThat(decoded.sequence()).isEqualTo(7);
        assertThat(decoded.sourcePartition()).isEqualTo(3);
        assertThat(decoded.sourceOffset()).isEqualTo(99);
        assertThat(decoded.features()).containsExactly(1.5, Double.NaN);
        assertThat(decoded.earlierPrediction().scores()).containsExactly(0.75, 0.25);
    }

    /** A wide one-hot vector is written sparse, a tenth of its dense size, and decodes bit for bit (-0.0, NaN). */
    @Test
    void wideMostlyZeroFeaturesAreWrittenSparseAndDecodeBitForBit() {
        double[] features = new double[1700];
        features[3] = 1;
        features[400] = -0.0;
        features[900] = Double.NaN;
        features[1699] = 42.5;
        JournalEntry entry = new JournalEntry(9, JournalEntry.Kind.EVENT, 1, 5, features, 0, null);
        byte[] encoded = entry.encode();
        assertThat(encoded.length).isLessThan(1700 * 8 / 10);
        JournalEntry decoded = JournalEntry.decode(encoded);
        assertThat(decoded.kind()).isEqualTo(JournalEntry.Kind.EVENT);
        assertThat(decoded.features()).hasSize(1700);
        for (int i = 0; i < features.length; i++) {
            assertThat(Double.doubleToRawLongBits(decoded.features()[i])).as("place %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(features[i]));
        }
    }

    /** Entries of earlier builds (dense, no flag in the kind byte) still decode. */
    @Test
    void aDenseEntryOfAnEarlierBuildStillDecodes() {
        java.nio.ByteBuffer dense = java.nio.ByteBuffer.allocate(8 + 1 + 4 + 8 + 4 + 8 * 3 + 8 + 8 + 4);
        dense.putLong(11).put((byte) JournalEntry.Kind.EVENT.ordinal()).putInt(2).putLong(77).putInt(3)
                .putDouble(0).putDouble(0).putDouble(7).putDouble(1).putDouble(Double.NaN).putInt(0);
        JournalEntry decoded = JournalEntry.decode(dense.array());
        assertThat(decoded.sequence()).isEqualTo(11);
        assertThat(decoded.sourceOffset()).isEqualTo(77);
        assertThat(decoded.features()).containsExactly(0, 0, 7);
        assertThat(decoded.label()).isEqualTo(1);
    }

    private static JournalEntry next(OnlineModel model, double[] features) {
        return new JournalEntry(model.nextSequence(), JournalEntry.Kind.EVENT, 0, 10_000, features, Double.NaN, null);
    }

    /** Every 7th x missing; every 5th event labelled 3 steps later on the labels topic, the rest inline. */
    private static List<JournalEntry> journalWithGapsAndDelayedLabels(int events) {
        Random random = new Random(7);
        List<JournalEntry> entries = new ArrayList<>();
        List<double[]> waiting = new ArrayList<>();
        long sequence = 1;
        for (int i = 0; i < events; i++) {
            double x = i % 7 == 0 ? Double.NaN : random.nextGaussian() * 10;
            double[] features = {x, random.nextInt(2)};
            double label = x > 1 || Double.isNaN(x) && features[1] == 1 ? 0 : 1;
            boolean delayed = i % 5 == 0;
            entries.add(new JournalEntry(sequence++, JournalEntry.Kind.EVENT, 0, i, features,
                    delayed ? Double.NaN : label, null));
            if (delayed) {
                waiting.add(new double[] {features[0], features[1], label});
            }
            if (waiting.size() > 3) {
                double[] due = waiting.remove(0);
                entries.add(new JournalEntry(sequence++, JournalEntry.Kind.DELAYED_LABEL, 0, i, new double[] {due[0],
                    due[1]}, due[2], new Prediction(1, new double[] {0.5, 0.5})));
            }
        }
        return entries;
    }

    private static List<JournalEntry> journal(int size) {
        Random random = new Random(42);
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            double x = random.nextGaussian();
            double color = random.nextInt(2);
            entries.add(new JournalEntry(i, JournalEntry.Kind.EVENT, 0, i - 1, new double[] {x, color},
                    x + 0.3 * color > 0.2 ? 0 : 1, null));
        }
        return entries;
    }
}

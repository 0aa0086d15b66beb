package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.GeneratedArff;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import io.streamlearn.core.schema.TransformSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Derives and checks the deserialization allow-list ({@code deserialization-allow-list.txt}): every learner the
 * project supports or tests is trained on a stream written by one of MOA's own generators (fixed seeds), snapshotted,
 * and its snapshot's classes are recorded as Java deserialization reads them. Each must be on the list, and the
 * learner must restore through {@link SafeSerialization} and predict as the original does. When a learner is added,
 * the failure message lists the classes to add.
 */
class DeserializationAllowListTest {

    private static final int ROWS = 3000;
    /** Two nominal and four numeric attributes, three classes; MOA's default seeds (-r 1, -i 1). */
    private static final String GENERATOR = "generators.RandomTreeGenerator -c 3 -o 2 -u 4 -v 4";

    @TempDir
    static Path dir;
    private static Dataset classes;
    private static Dataset values;

    @BeforeAll
    static void generate() throws IOException {
        Path arff = dir.resolve("random-tree.arff");
        GeneratedArff.write(GENERATOR, ROWS, arff);
        classes = Dataset.read(arff, "generated", "class");
        values = Dataset.read(arff, "generated", "numeric1").drop(List.of("class"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"trees.HoeffdingTree", "trees.HoeffdingTree -g 50", "trees.HoeffdingAdaptiveTree",
            "meta.AdaptiveRandomForest -s 3", "bayes.NaiveBayes", "functions.Perceptron"})
    void everyClassifierSnapshotPassesTheAllowList(String spec) throws Exception {
        assertRestoresThroughTheAllowList(spec, classes.schema(), classes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"trees.FIMTDD", "meta.AdaptiveRandomForestRegressor -s 3", "rules.AMRulesRegressor",
            "functions.SGD"})
    void everyRegressorSnapshotPassesTheAllowList(String spec) throws Exception {
        assertRestoresThroughTheAllowList(spec, values.schema(), values);
    }

    /** Every transform that fits MOA's generated columns (hash and timestamp need string and time columns). */
    @Test
    void aPipelineOfTransformsPassesTheAllowList() throws Exception {
        FeatureSchema schema = classes.schema().withTransforms(List.of(TransformSpec.impute("numeric1", "mean", null),
                TransformSpec.clip("numeric2", 0.05, 0.95), TransformSpec.scale("numeric3"), TransformSpec.oneHot("nominal1"),
                TransformSpec.derive("sum", "numeric1 + numeric2"), TransformSpec.pca(2)));

        assertRestoresThroughTheAllowList("trees.HoeffdingTree", schema, classes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {LearnerFactory.DEFAULT_ANOMALY_SPEC, "oneclass.NearestNeighbourDescription"})
    void everyAnomalyDetectorSnapshotPassesTheAllowList(String spec) {
        FeatureSchema schema = new FeatureSchema("sensors", FeatureSpec.nominal("anomaly", List.of("normal", "anomaly")),
                List.of(FeatureSpec.numeric("a"), FeatureSpec.numeric("b")), List.of(), Task.ANOMALY);
        OnlineLearner learner = LearnerFactory.create(spec, schema);
        Random random = new Random(7);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new double[] {random.nextDouble(), random.nextDouble()});
            learner.learn(rows.get(i), i % 50 == 0 ? 1 : 0);
        }

        assertRestoresLike(learner, schema, rows);
    }

    @Test
    void aClustererSnapshotPassesTheAllowList() {
        FeatureSchema schema = new FeatureSchema("blobs", FeatureSpec.nominal("blob", List.of("0", "1")),
                List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("y")), List.of(), Task.CLUSTER);
        OnlineLearner learner = LearnerFactory.create(LearnerFactory.DEFAULT_CLUSTER_SPEC, schema);
        Random random = new Random(3);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new double[] {(i % 2) * 10 + random.nextGaussian(), random.nextGaussian()});
            learner.observe(rows.get(i));
        }

        assertRestoresLike(learner, schema, rows);
    }

    @Test
    void anEvaluatorCheckpointPassesTheAllowList() {
        for (FeatureSchema schema : List.of(classes.schema(), values.schema())) {
            PrequentialEvaluator evaluator = PrequentialEvaluator.forSchema(schema, 1000);
            byte[] bytes = SafeSerialization.serialize(evaluator);

            assertOnTheList(bytes);
            assertThat(SafeSerialization.deserialize(bytes, PrequentialEvaluator.class)).isNotNull();
        }
    }

    private static void assertRestoresThroughTheAllowList(String spec, FeatureSchema schema, Dataset data)
            throws InvalidRecordException {
        FeatureEncoder encoder = new FeatureEncoder(schema);
        EventCodec codec = new EventCodec();
        OnlineLearner learner = LearnerFactory.create(spec, schema);
        List<double[]> rows = new ArrayList<>();
        for (LabeledRow row : data.rows()) {
            double[] features = encoder.encodeFeatures(codec.json().valueToTree(row.features()));
            rows.add(features);
            learner.learn(features, encoder.encodeLabel(codec.json().valueToTree(row.label())));
        }

        assertRestoresLike(learner, schema, rows);
    }

    private static void assertRestoresLike(OnlineLearner learner, FeatureSchema schema, List<double[]> rows) {
        byte[] snapshot = learner.snapshot();
        assertOnTheList(snapshot);

        OnlineLearner restored = LearnerFactory.restore(learner.spec(), schema, snapshot);

        for (double[] row : rows.subList(rows.size() - 100, rows.size())) {
            assertThat(restored.predict(row).value()).isEqualTo(learner.predict(row).value());
        }
    }

    /** A pipeline's snapshot nests the learner's own serialized bytes: both levels are read. */
    private static void assertOnTheList(byte[] snapshot) {
        Set<String> seen = classesIn(snapshot);
        if (seen.contains(PipelineLearner.State.class.getName())) {
            seen.addAll(classesIn(SafeSerialization.deserialize(snapshot, PipelineLearner.State.class).learner()));
        }
        Set<String> missing = new TreeSet<>();
        seen.forEach(name -> {
            if (!SafeSerialization.allows(name)) {
                missing.add(name);
            }
        });
        assertThat(missing).as("classes in the snapshot that the allow-list refuses").isEmpty();
    }

    /** Every class (an array's element class) that deserializing the bytes asks the filter about. */
    static Set<String> classesIn(byte[] bytes) {
        Set<String> seen = new TreeSet<>();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                Class<?> type = info.serialClass();
                while (type != null && type.isArray()) {
                    type = type.getComponentType();
                }
                if (type != null && !type.isPrimitive()) {
                    seen.add(type.getName());
                }
                return ObjectInputFilter.Status.ALLOWED;
            });
            in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("the snapshot does not read back", e);
        }
        return seen;
    }
}

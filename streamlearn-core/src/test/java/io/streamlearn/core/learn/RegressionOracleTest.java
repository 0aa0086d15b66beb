package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.MoaReference;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.features.FeatureEncoder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The regression oracle: a MOA regressor fed through our event JSON, {@link FeatureEncoder}, {@link MoaLearner} and
 * our prequential evaluator must report the MAE and RMSE that MOA's own {@code EvaluatePrequentialRegression} reports
 * for the same learner on the same rows, read by MOA's own {@code ArffFileStream}.
 */
class RegressionOracleTest {

    private static final String MODEL = "bike";
    /** Bike Sharing's {@code cnt} = {@code casual} + {@code registered}; {@code instant} is the row number. */
    private static final List<String> LEAKS_AND_IDS = List.of("casual", "registered", "instant");

    private static Dataset bike;

    @TempDir
    static Path tempDir;

    @BeforeAll
    static void readBikeSharing() throws Exception {
        bike = Dataset.read(BundledDatasets.file("bike_sharing_hour.csv.gz"), MODEL, "cnt").drop(LEAKS_AND_IDS);
    }

    /**
     * Rule sets and linear models have no prediction for the very first row: MOA leaves it unscored, so do we (17,378
     * of 17,379 rows scored); a model tree predicts 0 from its empty root and every row is scored.
     */
    @ParameterizedTest
    @CsvSource({"trees.FIMTDD, 17379", "rules.AMRulesRegressor, 17378", "functions.SGD, 17378"})
    void regressorFedThroughOurEncodingScoresAsMoasOwnPrequentialRegressionTask(String spec, long scored)
            throws Exception {
        Path arff = MoaReference.writeArff(bike, tempDir.resolve("bike.arff"));
        MoaReference.RegressionScore moa = MoaReference.prequentialRegression(arff, spec);
        Evaluation ours = prequential(bike, spec);

        assertThat(moa.instances()).isEqualTo(scored);
        assertThat(ours.instances()).isEqualTo(moa.instances());
        assertThat(ours.mae()).isCloseTo(moa.mae(), within(1e-9 * moa.mae()));
        assertThat(ours.rmse()).isCloseTo(moa.rmse(), within(1e-9 * moa.rmse()));
    }

    /** Test-then-train over every row, each row travelling as the event JSON a producer would write. */
    private static Evaluation prequential(Dataset dataset, String spec) throws Exception {
        OnlineLearner learner = LearnerFactory.create(spec, dataset.schema());
        FeatureEncoder encoder = new FeatureEncoder(dataset.schema());
        PrequentialEvaluator evaluator = PrequentialEvaluator.forSchema(dataset.schema(), 1000);
        EventCodec codec = new EventCodec();
        long offset = 0;
        for (LabeledRow row : dataset.rows()) {
            byte[] json = codec.encodeEvent(Long.toString(offset), offset, MODEL, row);
            Event event = codec.decodeEvent(json, MODEL, offset++);
            double[] features = encoder.encodeFeatures(event.features());
            double label = encoder.encodeLabel(event.label());
            evaluator.record(label, learner.predict(features));
            learner.learn(features, label);
        }
        return evaluator.evaluation();
    }
}

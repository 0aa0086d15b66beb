package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServedModelTest {

    private static FeatureSchema schema;
    private static OnlineLearner trained;
    private static ServedModel served;

    @BeforeAll
    static void restoreTrainedModel() {
        schema = TestModels.electricity().schema();
        trained = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
        served = ServedModel.restore(TestModels.snapshot(schema, trained, 1));
    }

    @Test
    void predictsTheClassAndScoresTheTrainedLearnerGives() throws Exception {
        for (LabeledRow row : TestModels.unseenRows(100)) {
            Prediction expected = trained.predict(TestModels.encode(schema, row));

            ServedPrediction prediction = served.predict(TestModels.features(row));

            assertThat(prediction.prediction()).isEqualTo(schema.target().values().get(expected.predictedClass()));
            assertThat(prediction.scores()).containsOnlyKeys("UP", "DOWN");
            assertThat(prediction.scores().get("UP")).isEqualTo(expected.scores()[0]);
            assertThat(prediction.scores().get("DOWN")).isEqualTo(expected.scores()[1]);
        }
    }

    @Test
    void regressionPredictsANumberWithoutScores() throws Exception {
        OnlineLearner linear = TestModels.linearLearner();
        ServedModel model = ServedModel.restore(TestModels.snapshot(TestModels.linearSchema(), linear, 1));

        ServedPrediction prediction = model.predict(TestModels.JSON.createObjectNode().put("x", 0.5));

        assertThat(prediction.prediction()).isEqualTo(linear.predict(new double[] {0.5}).value());
        assertThat(prediction.scores()).isEmpty();
    }

    @Test
    void batchPredictsInOrder() throws Exception {
        List<LabeledRow> rows = TestModels.unseenRows(20);
        List<ObjectNode> instances = rows.stream().map(TestModels::features).toList();

        List<ServedPrediction> predictions = served.predictAll(instances);

        assertThat(predictions).hasSize(20);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(predictions.get(i)).isEqualTo(served.predict(instances.get(i)));
        }
    }

    @Test
    void batchNamesTheFirstBadInstanceAndItsFeature() {
        List<ObjectNode> instances = TestModels.unseenRows(3).stream().map(TestModels::features).toList();
        instances.get(1).put("nswprice", "cheap");

        assertThatThrownBy(() -> served.predictAll(instances))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE);
                    assertThat(e.field()).isEqualTo("nswprice");
                    assertThat(e.getMessage()).startsWith("instance 1: ");
                });
    }

    @Test
    void concurrentCallersGetTheSamePredictionsAsOneCaller() throws Exception {
        List<ObjectNode> instances = TestModels.unseenRows(200).stream().map(TestModels::features).toList();
        List<ServedPrediction> expected = served.predictAll(instances);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<ServedPrediction>>> results = new ArrayList<>();
            for (int caller = 0; caller < 8; caller++) {
                results.add(pool.submit(() -> {
                    List<ServedPrediction> predictions = new ArrayList<>();
                    for (ObjectNode instance : instances) {
                        predictions.add(served.predict(instance));
                    }
                    return predictions;
                }));
            }
            for (Future<List<ServedPrediction>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }
}

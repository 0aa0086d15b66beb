package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A feature that only grows (a row id, a timestamp) turns FIMT-DD's extended binary search tree into a chain as deep
 * as its distinct values: its snapshot must still pass the deserialization filter and restore to an equal learner.
 */
class DeepSnapshotTest {

    @Test
    void aRegressionTreeOverAMonotonicFeatureRestores() {
        FeatureSchema schema = new FeatureSchema("rows", FeatureSpec.numeric("y"),
                List.of(FeatureSpec.numeric("rowId"), FeatureSpec.numeric("x")));
        OnlineLearner learner = LearnerFactory.create("trees.FIMTDD", schema);
        for (int i = 0; i < 3000; i++) {
            double x = (i * 37 % 101) / 100.0;
            learner.learn(new double[] {i, x}, 3 * x + (i % 7) * 0.01);
        }

        OnlineLearner restored = LearnerFactory.restore(learner.spec(), schema, learner.snapshot());

        for (int i = 0; i < 50; i++) {
            double[] features = {3000 + i, i / 50.0};
            assertThat(restored.predict(features).value()).isEqualTo(learner.predict(features).value());
        }
    }
}

package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnerFactoryTest {

    private static final FeatureSchema CLASSES = new FeatureSchema("m", FeatureSpec.nominal("y", List.of("a", "b")),
            List.of(FeatureSpec.numeric("x")));
    private static final FeatureSchema NUMBERS = new FeatureSchema("m", FeatureSpec.numeric("y"),
            List.of(FeatureSpec.numeric("x")));

    @Test
    void buildsALearnerFromAMoaCliSpecWithOptions() {
        OnlineLearner learner = LearnerFactory.create("trees.HoeffdingTree -g 50", CLASSES);

        learner.learn(new double[] {1.0}, 1);

        assertThat(learner.spec()).isEqualTo("trees.HoeffdingTree -g 50");
        assertThat(learner.predict(new double[] {1.0}).predictedClass()).isEqualTo(1);
    }

    @Test
    void refusesARegressorForANominalTarget() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LearnerFactory.create("trees.FIMTDD", CLASSES))
                .withMessageContaining("regressor")
                .withMessageContaining("'y' is nominal");
    }

    @Test
    void refusesAClassifierForANumericTarget() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LearnerFactory.create("trees.HoeffdingTree", NUMBERS))
                .withMessageContaining("classifier")
                .withMessageContaining("'y' is numeric");
    }

    @Test
    void refusesAnUnknownLearnerName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LearnerFactory.create("trees.NoSuchTree", CLASSES))
                .withMessageContaining("invalid learner spec 'trees.NoSuchTree'");
    }

    @Test
    void refusesAnUnknownOption() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LearnerFactory.create("trees.HoeffdingTree -Z 3", CLASSES))
                .withMessageContaining("invalid learner spec");
    }
}

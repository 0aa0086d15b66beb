package io.streamlearn.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {

    @Test
    void refusesANominalDefaultThatIsNotOneOfTheValues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FeatureSpec("sky", FeatureType.NOMINAL, List.of("sun", "cloud"),
                        MissingPolicy.DEFAULT, "fog"))
                .withMessageContaining("default 'fog' of feature 'sky' is not one of its values");
    }

    @Test
    void refusesANumericDefaultThatIsNotANumber() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FeatureSpec("wind", FeatureType.NUMERIC, List.of(), MissingPolicy.DEFAULT,
                        "calm"))
                .withMessageContaining("is not a finite number");
    }

    @Test
    void refusesMissingEqualsDefaultWithoutADefault() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FeatureSpec("wind", FeatureType.NUMERIC, List.of(), MissingPolicy.DEFAULT, null))
                .withMessageContaining("declares no default");
    }

    @Test
    void refusesANominalFeatureWithoutValues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FeatureSpec.nominal("sky", List.of()))
                .withMessageContaining("declares no values");
    }

    @Test
    void defaultsToTheRejectPolicy() {
        assertThat(new FeatureSpec("x", FeatureType.NUMERIC, null, null, null).missing())
                .isEqualTo(MissingPolicy.REJECT);
    }
}

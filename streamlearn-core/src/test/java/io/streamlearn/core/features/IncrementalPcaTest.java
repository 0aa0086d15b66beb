package io.streamlearn.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.TransformSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncrementalPcaTest {

    private static final double[] DIRECTION = {1 / 3.0, 2 / 3.0, 2 / 3.0};

    private static FeatureSchema schema(int components) {
        return new FeatureSchema("points", FeatureSpec.numeric("y"),
                List.of(FeatureSpec.numeric("a"), FeatureSpec.nominal("colour", List.of("red", "blue")),
                        FeatureSpec.numeric("b"), FeatureSpec.numeric("c")),
                List.of(TransformSpec.pca(components)));
    }

    @Test
    void firstComponentFindsTheDirectionOfMostVarianceAndKeepsTheNominalColumn() {
        FeaturePipeline pipeline = FeaturePipeline.of(schema(2));
        assertThat(pipeline.outputSchema().features()).extracting(FeatureSpec::name)
                .containsExactly("colour", "pc1", "pc2");
        Random random = new Random(1);
        for (int i = 0; i < 5000; i++) {
            pipeline.learn(point(random.nextGaussian() * 3, random, 5 + i % 2));
        }
        // A point 2 units along the line from the centre (5, 10, 10) projects to ±2 on pc1 and ~0 on pc2.
        double[] along = pipeline.transform(new double[] {5 + 2 * DIRECTION[0], 1, 10 + 2 * DIRECTION[1],
            10 + 2 * DIRECTION[2]});
        assertThat(along[0]).isEqualTo(1.0);
        assertThat(Math.abs(along[1])).isCloseTo(2.0, within(0.1));
        assertThat(along[2]).isCloseTo(0.0, within(0.1));
    }

    @Test
    void refusesMoreComponentsThanNumericColumns() {
        assertThatThrownBy(() -> FeaturePipeline.of(schema(4))).hasMessageContaining("between 1 and the 3");
    }

    @Test
    void transformSpecRoundTripsThroughTheSchemaJson() {
        FeatureSchema schema = schema(2);
        assertThat(schema.toJson()).contains("\"components\" : 2");
        assertThat(FeatureSchema.fromJson(schema.toJson())).isEqualTo(schema);
    }

    /** A point on the line through (5, 10, 10) along DIRECTION at t, plus noise of deviation 0.05. */
    private static double[] point(double t, Random random, int colour) {
        return new double[] {5 + t * DIRECTION[0] + random.nextGaussian() * 0.05, colour % 2,
            10 + t * DIRECTION[1] + random.nextGaussian() * 0.05, 10 + t * DIRECTION[2] + random.nextGaussian() * 0.05};
    }
}

package io.streamlearn.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.TransformSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each transform against values computed by hand; rows are transformed before the pipeline learns from them. */
class FeaturePipelineTest {

    private static final double NAN = Double.NaN;
    private static final double EPSILON = 1e-12;
    private static final FeatureSpec TARGET = FeatureSpec.numeric("y");
    private static final List<String> DAYS = List.of("1", "2", "3", "4", "5", "6", "7");

    @Test
    void imputeMeanFillsTheMeanOfTheValuesSeenBefore() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("x")), TransformSpec.impute("x", "mean", null));

        assertThat(pipeline.transform(row(NAN))[0]).as("nothing seen yet: stays missing").isNaN();
        learn(pipeline, row(2), row(4), row(NAN));

        assertThat(pipeline.transform(row(NAN))).containsExactly(3.0);
        assertThat(pipeline.transform(row(7))).containsExactly(7.0);
    }

    @Test
    void imputeMedianFillsTheRunningMedian() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("x")), TransformSpec.impute("x", "median", null));
        learn(pipeline, row(1), row(5), row(3), row(100));

        // 1, 3, 5, 100: the median interpolates between 3 and 5
        assertThat(pipeline.transform(row(NAN))).containsExactly(4.0);
    }

    @Test
    void imputeModeFillsTheMostFrequentValueFirstDeclaredOnTies() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.nominal("day", DAYS)),
                TransformSpec.impute("day", "mode", null));
        learn(pipeline, row(4), row(2));
        assertThat(pipeline.transform(row(NAN))).as("tie between 2 and 4").containsExactly(2.0);

        learn(pipeline, row(4));
        assertThat(pipeline.transform(row(NAN))).containsExactly(4.0);
    }

    @Test
    void imputeConstantFillsANumberOrADeclaredValue() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("x"), FeatureSpec.nominal("day", DAYS)),
                TransformSpec.impute("x", "constant", "-1.5"), TransformSpec.impute("day", "constant", "7"));

        assertThat(pipeline.transform(row(NAN, NAN))).containsExactly(-1.5, 6.0);
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(List.of(FeatureSpec.nominal("day", DAYS)),
                TransformSpec.impute("day", "constant", "8"))).withMessageContaining("'8'");
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(List.of(FeatureSpec.nominal("day", DAYS)),
                TransformSpec.impute("day", "mean", null))).withMessageContaining("mean");
    }

    @Test
    void clipSetsValuesOutsideTheRunningQuantilesToThem() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("x")), TransformSpec.clip("x", 0.25, 0.75));
        assertThat(pipeline.transform(row(1e9))).as("nothing seen: unchanged").containsExactly(1e9);
        learn(pipeline, row(4), row(1), row(3), row(2));

        // exact quantiles of 1, 2, 3, 4: ranks 0.75 and 2.25 give 1.75 and 3.25
        assertThat(pipeline.transform(row(0))).containsExactly(1.75);
        assertThat(pipeline.transform(row(2.5))).containsExactly(2.5);
        assertThat(pipeline.transform(row(10))).containsExactly(3.25);
    }

    @Test
    void p2QuantileReproducesJainAndChlamtacsWorkedExample() {
        // The 20 observations of the worked example in Jain & Chlamtac (CACM 1985). 4.2462394088036435 is the median
        // estimate independent implementations of the paper's algorithm reach on them (the Rust crate average and
        // oxidecomputer/oximeter assert it); the exact median of the 20 is 2.43, which P² only approximates.
        double[] observations = {0.02, 0.5, 0.74, 3.39, 0.83, 22.37, 10.15, 15.43, 38.62, 15.92, 34.6, 10.28, 1.47,
            0.4, 0.05, 11.39, 0.27, 0.42, 0.09, 11.37};
        P2Quantile median = new P2Quantile(0.5);
        for (double observation : observations) {
            median.add(observation);
        }
        assertThat(median.value()).isCloseTo(4.2462394088036435, within(1e-12));
    }

    @Test
    void scaleStandardisesWithTheRunningMeanAndDeviation() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("x")), TransformSpec.scale("x"));
        assertThat(pipeline.transform(row(4))).as("nothing seen: unchanged").containsExactly(4.0);
        learn(pipeline, row(5));
        assertThat(pipeline.transform(row(4))).as("deviation 0: only centred").containsExactly(-1.0);

        learn(pipeline, row(NAN));
        learn(pipeline, row(1), row(3));
        // 5, 1, 3: mean 3, population variance 8/3
        assertThat(pipeline.transform(row(7))[0]).isCloseTo(4 / Math.sqrt(8.0 / 3), within(EPSILON));
        assertThat(pipeline.transform(row(NAN))[0]).isNaN();
    }

    @Test
    void oneHotGivesOneColumnPerDeclaredValue() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("a"), FeatureSpec.nominal("c", List.of("r", "g",
                "b")), FeatureSpec.numeric("z")), TransformSpec.oneHot("c"));

        assertThat(pipeline.outputSchema().features()).extracting(FeatureSpec::name)
                .containsExactly("a", "c=r", "c=g", "c=b", "z");
        assertThat(pipeline.transform(row(9, 1, 8))).containsExactly(9, 0, 1, 0, 8);
        assertThat(pipeline.transform(row(9, NAN, 8))).containsExactly(9, 0, 0, 0, 8);
    }

    @Test
    void timestampGivesCalendarPartsInUtc() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.of("at", FeatureType.TIMESTAMP)),
                TransformSpec.timestamp("at", List.of("hour", "day_of_week", "month", "is_weekend", "hour_sin",
                        "hour_cos", "day_of_week_sin", "month_cos")));
        // 2024-03-16T23:30:00Z, a Saturday
        double[] parts = pipeline.transform(row(1_710_631_800_000.0));

        assertThat(pipeline.outputSchema().features().get(0).name()).isEqualTo("at.hour");
        assertThat(parts[0]).isEqualTo(23);
        assertThat(parts[1]).isEqualTo(6);
        assertThat(parts[2]).isEqualTo(3);
        assertThat(parts[3]).isEqualTo(1);
        assertThat(parts[4]).isCloseTo(Math.sin(2 * Math.PI * 23 / 24), within(EPSILON)).isCloseTo(-0.258819, within(1e-6));
        assertThat(parts[5]).isCloseTo(0.965926, within(1e-6));
        assertThat(parts[6]).isCloseTo(Math.sin(2 * Math.PI * 5 / 7), within(EPSILON));
        assertThat(parts[7]).isCloseTo(Math.cos(2 * Math.PI * 2 / 12), within(EPSILON));
        assertThat(pipeline.transform(row(NAN))[0]).isNaN();
    }

    @Test
    void deriveAppendsAnExpressionOverEarlierColumns() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("a"), FeatureSpec.numeric("b")),
                TransformSpec.derive("ratio", "a / b"), TransformSpec.derive("g", "log(a * 2) - -(b - 1) * 3"),
                TransformSpec.derive("s", "sqrt(abs(`ratio`)) + exp(0) + log1p(0)"));

        assertThat(pipeline.outputSchema().features()).extracting(FeatureSpec::name)
                .containsExactly("a", "b", "ratio", "g", "s");
        double[] out = pipeline.transform(row(8, 2));
        assertThat(out[2]).isEqualTo(4.0);
        assertThat(out[3]).isCloseTo(Math.log(16) + 3, within(EPSILON));
        assertThat(out[4]).isCloseTo(3.0, within(EPSILON));
        assertThat(pipeline.transform(row(8, 0))[2]).as("division by zero is missing").isNaN();
        assertThat(pipeline.transform(row(0, 1))[3]).as("log(0) is missing").isNaN();
    }

    @Test
    void deriveRefusesUnknownColumnsFunctionsAndBadSyntax() {
        List<FeatureSpec> columns = List.of(FeatureSpec.numeric("a"));
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(columns, TransformSpec.derive("d", "a / c")))
                .withMessageContaining("'c'");
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(columns, TransformSpec.derive("d", "pow(a)")))
                .withMessageContaining("unknown function");
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(columns, TransformSpec.derive("d", "(a + 1")))
                .withMessageContaining("expected ')'");
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(columns, TransformSpec.derive("a", "a + 1")))
                .withMessageContaining("declared twice");
    }

    @Test
    void hashSetsTheBucketOfTheFnv1aHashOfTheString() {
        // FNV-1a 32-bit test vectors: "" = 0x811c9dc5, "a" = 0xe40c292c, "foobar" = 0xbf9cf968
        assertThat((int) FeatureHashing.hash("")).isEqualTo(0x811c9dc5);
        assertThat((int) FeatureHashing.hash("a")).isEqualTo(0xe40c292c);
        assertThat((int) FeatureHashing.hash("foobar")).isEqualTo(0xbf9cf968);
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.of("city", FeatureType.CATEGORY)),
                TransformSpec.hash("city", 8));

        // 0xe40c292c mod 8 = 0x2c mod 8 = 4
        assertThat(pipeline.transform(row(FeatureHashing.hash("a")))).containsExactly(0, 0, 0, 0, 1, 0, 0, 0);
        assertThat(pipeline.outputSchema().features().get(7).name()).isEqualTo("city#7");
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(List.of(FeatureSpec.of("city",
                FeatureType.CATEGORY)))).withMessageContaining("needs a hash transform");
    }

    @Test
    void stepsRunInOrderAndEachLearnsWhatReachesIt() {
        FeaturePipeline pipeline = pipeline(List.of(FeatureSpec.numeric("x")),
                TransformSpec.impute("x", "constant", "10"), TransformSpec.scale("x"));
        learn(pipeline, row(NAN), row(0));

        // the scaler saw 10 (imputed) and 0: mean 5, deviation 5
        assertThat(pipeline.transform(row(NAN))).containsExactly(1.0);
        assertThat(pipeline.transform(row(20))).containsExactly(3.0);
        assertThatIllegalArgumentException().isThrownBy(() -> pipeline(List.of(FeatureSpec.nominal("c", DAYS)),
                TransformSpec.oneHot("c"), TransformSpec.scale("c"))).withMessageContaining("no column 'c'");
    }

    @Test
    void withoutTransformsThePipelineIsTheIdentity() {
        FeatureSchema schema = new FeatureSchema("m", TARGET, List.of(FeatureSpec.numeric("x")));
        FeaturePipeline pipeline = FeaturePipeline.of(schema);

        assertThat(pipeline.isIdentity()).isTrue();
        assertThat(pipeline.outputSchema()).isEqualTo(schema);
        double[] row = row(3);
        assertThat(pipeline.transform(row)).isSameAs(row);
    }

    private static FeaturePipeline pipeline(List<FeatureSpec> features, TransformSpec... transforms) {
        return FeaturePipeline.of(new FeatureSchema("m", TARGET, features, List.of(transforms)));
    }

    private static void learn(FeaturePipeline pipeline, double[]... rows) {
        for (double[] row : rows) {
            pipeline.learn(row);
        }
    }

    private static double[] row(double... values) {
        return values;
    }
}

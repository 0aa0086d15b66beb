package io.streamlearn.batch;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.TransformSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded labelled windows with known structure: an interaction (which a linear or naive Bayes model misses). */
final class SyntheticWindows {

    static final List<String> COLORS = List.of("red", "green", "blue");

    private SyntheticWindows() {
    }

    static FeatureSchema binarySchema() {
        return new FeatureSchema("synthetic", FeatureSpec.nominal("label", List.of("no", "yes")), features(),
                List.of(TransformSpec.oneHot("color"), TransformSpec.scale("x0")));
    }

    static FeatureSchema multiclassSchema() {
        return new FeatureSchema("synthetic3", FeatureSpec.nominal("label", List.of("a", "b", "c")), features(),
                List.of(TransformSpec.oneHot("color")));
    }

    static FeatureSchema regressionSchema() {
        return new FeatureSchema("synthetic-value", FeatureSpec.numeric("y"), features());
    }

    /** Class "yes" when x0·x1 > 0 (an XOR of signs), flipped for red; {@code noise} of labels flipped at random. */
    static LabeledWindow binary(int rows, long seed, double noise) {
        return window(binarySchema(), rows, seed, (x, color, random) -> {
            boolean yes = x[0] * x[1] > 0 ^ color == 0;
            return random.nextDouble() < noise ? (yes ? 0 : 1) : (yes ? 1 : 0);
        });
    }

    static LabeledWindow multiclass(int rows, long seed) {
        return window(multiclassSchema(), rows, seed, (x, color, random) ->
                x[0] * x[1] > 0 ? (color == 2 ? 2 : 0) : 1);
    }

    static LabeledWindow regression(int rows, long seed) {
        return window(regressionSchema(), rows, seed, (x, color, random) ->
                3 * x[0] * x[1] + Math.sin(3 * x[2]) + color + 0.1 * random.nextGaussian());
    }

    interface Target {
        double label(double[] x, int color, SplittableRandom random);
    }

    private static List<FeatureSpec> features() {
        List<FeatureSpec> features = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            features.add(FeatureSpec.numeric("x" + i));
        }
        features.add(FeatureSpec.nominal("color", COLORS));
        return features;
    }

    private static LabeledWindow window(FeatureSchema schema, int rows, long seed, Target target) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> features = new ArrayList<>();
        double[] labels = new double[rows];
        long[] times = new long[rows];
        for (int i = 0; i < rows; i++) {
            double[] x = new double[5];
            for (int j = 0; j < 4; j++) {
                x[j] = random.nextDouble() * 2 - 1;
            }
            int color = random.nextInt(3);
            x[4] = color;
            features.add(x);
            labels[i] = target.label(x, color, random);
            times[i] = 1_700_000_000_000L + i * 1000L;
        }
        return new LabeledWindow(schema, features, labels, times);
    }

    /**
     * Settings small enough for unit tests (a run takes about a second here), on one XGBoost thread: with two OpenMP
     * threads on a shared, loaded 2-core machine every barrier waits for a descheduled thread, and a run took minutes.
     */
    static RetrainSettings quick() {
        return RetrainSettings.defaults().withDevice("cpu", false).withSearch(4, 60, 3).withLimits(50, 50_000_000L)
                .withThreads(1);
    }
}

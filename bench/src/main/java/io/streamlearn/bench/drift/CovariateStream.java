package io.streamlearn.bench.drift;

import io.streamlearn.drift.window.DriftAlert;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Records of 12 features whose distribution changes at a known record while the concept (there is no label here)
 * does not: x0..x9 ~ N(0, 1), c0 in a/b/c (50/30/20%), c1 uniform over v0..v4.
 */
final class CovariateStream {

    /** What changes, and which alerts name it. */
    enum Change {
        NONE("none", null),
        MEAN_HALF_SIGMA("x0 mean +0.5 sigma", "x0"),
        MEAN_ONE_SIGMA("x0 mean +1 sigma", "x0"),
        SIGMA_TIMES_1_5("x0 standard deviation x1.5", "x0"),
        CATEGORY_SHARES("c0 shares 50/30/20 → 30/30/40", "c0"),
        MISSING_RATE("x1 missing 0 → 20%", "x1");

        private final String description;
        private final String feature;

        Change(String description, String feature) {
            this.description = description;
            this.feature = feature;
        }

        String description() {
            return description;
        }

        boolean explains(String alerted) {
            return alerted.equals(feature) || alerted.equals(DriftAlert.DATASET);
        }
    }

    private final Random random;
    private final Change change;
    private final int at;
    private int position;

    CovariateStream(long seed, Change change, int at) {
        this.random = new Random(seed);
        this.change = change;
        this.at = at;
    }

    Map<String, Object> next() {
        position++;
        boolean changed = position > at;
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            values.put("x" + i, random.nextGaussian());
        }
        if (changed) {
            switch (change) {
                case MEAN_HALF_SIGMA -> values.put("x0", (Double) values.get("x0") + 0.5);
                case MEAN_ONE_SIGMA -> values.put("x0", (Double) values.get("x0") + 1.0);
                case SIGMA_TIMES_1_5 -> values.put("x0", (Double) values.get("x0") * 1.5);
                case MISSING_RATE -> {
                    if (random.nextDouble() < 0.2) {
                        values.put("x1", null);
                    }
                }
                default -> {
                }
            }
        }
        double u = random.nextDouble();
        boolean shifted = changed && change == Change.CATEGORY_SHARES;
        values.put("c0", u < (shifted ? 0.3 : 0.5) ? "a" : u < (shifted ? 0.6 : 0.8) ? "b" : "c");
        values.put("c1", "v" + random.nextInt(5));
        return values;
    }
}

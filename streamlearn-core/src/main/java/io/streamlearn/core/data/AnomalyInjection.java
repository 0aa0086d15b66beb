package io.streamlearn.core.data;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A replay of a dataset with anomalies injected, for evaluating an anomaly detector on data that has no anomaly
 * labels (Electricity, Bike Sharing). A share {@code rate} of the rows after the first {@value #CLEAN_PREFIX} (chosen
 * with a fixed seed) gets half of its numeric features (at least one, chosen at random) moved to the far end of
 * each feature's observed range: a value drawn from the top 2 % of the range when the row's value lies in the lower
 * half, from the bottom 2 % otherwise. Moving every feature makes the task trivial (Half-Space Trees reach ROC-AUC 1.0
 * on Electricity), moving one makes it hard (0.60); half gives 0.84 (docs/learning.md).
 * The label becomes {@code anomaly} ({@code normal} or {@code anomaly}); the original target is left out.
 */
public final class AnomalyInjection {

    public static final double DEFAULT_RATE = 0.01;
    public static final String LABEL = "anomaly";
    public static final List<String> VALUES = List.of("normal", "anomaly");
    /** Rows kept clean at the start, so that a detector has a reference before the first anomaly. */
    static final int CLEAN_PREFIX = 1000;
    private static final long SEED = 20_130_601L;

    private AnomalyInjection() {
    }

    public static Dataset inject(Dataset dataset, double rate) {
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("injected anomaly rate must be in (0, 1), not " + rate);
        }
        FeatureSchema schema = dataset.schema();
        Map<String, double[]> ranges = ranges(dataset);
        Random random = new Random(SEED);
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(ranges.keySet()));
        List<LabeledRow> rows = new ArrayList<>(dataset.rows().size());
        for (int i = 0; i < dataset.rows().size(); i++) {
            LabeledRow row = dataset.rows().get(i);
            boolean anomaly = i >= CLEAN_PREFIX && random.nextDouble() < rate;
            Map<String, Object> features = row.features();
            if (anomaly && !names.isEmpty()) {
                features = new HashMap<>(features);
                List<String> shuffled = new ArrayList<>(names);
                java.util.Collections.shuffle(shuffled, random);
                for (String name : shuffled.subList(0, Math.max(1, shuffled.size() / 2))) {
                    if (features.get(name) instanceof Number number) {
                        features.put(name, extreme(number.doubleValue(), ranges.get(name), random));
                    }
                }
            }
            rows.add(new LabeledRow(features, VALUES.get(anomaly ? 1 : 0)));
        }
        FeatureSchema injected = new FeatureSchema(schema.model(), FeatureSpec.nominal(LABEL, VALUES),
                schema.features(), schema.transforms(), Task.ANOMALY);
        return new Dataset(injected, rows);
    }

    private static double extreme(double value, double[] range, Random random) {
        double width = range[1] - range[0];
        double offset = random.nextDouble() * 0.02 * width;
        return value < range[0] + width / 2 ? range[1] - offset : range[0] + offset;
    }

    private static Map<String, double[]> ranges(Dataset dataset) {
        Map<String, double[]> ranges = new HashMap<>();
        for (FeatureSpec feature : dataset.schema().features()) {
            if (!feature.isNominal() && feature.type() == io.streamlearn.core.schema.FeatureType.NUMERIC) {
                ranges.put(feature.name(), new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
            }
        }
        for (LabeledRow row : dataset.rows()) {
            for (Map.Entry<String, double[]> range : ranges.entrySet()) {
                if (row.features().get(range.getKey()) instanceof Number number) {
                    range.getValue()[0] = Math.min(range.getValue()[0], number.doubleValue());
                    range.getValue()[1] = Math.max(range.getValue()[1], number.doubleValue());
                }
            }
        }
        return ranges;
    }
}

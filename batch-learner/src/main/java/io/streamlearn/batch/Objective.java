package io.streamlearn.batch;

import io.streamlearn.core.schema.FeatureSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * XGBoost's learning task for a schema: {@code binary:logistic} for two classes, {@code multi:softprob} for more,
 * {@code reg:squarederror} for values, with the matching validation metric (lower is better for each).
 *
 * @param classCount 0 for regression
 */
record Objective(String name, String evalMetric, int classCount) {

    static Objective of(FeatureSchema schema) {
        if (!schema.target().isNominal()) {
            return new Objective("reg:squarederror", "rmse", 0);
        }
        int classes = schema.target().values().size();
        return classes == 2 ? new Objective("binary:logistic", "logloss", 2)
                : new Objective("multi:softprob", "mlogloss", classes);
    }

    boolean classification() {
        return classCount > 0;
    }

    /** The gate's error: 1 - accuracy for classes, mean absolute error for values. */
    String errorMetric() {
        return classification() ? "error" : "mae";
    }

    /** The fixed parameters of every fit of a run: task, histogram method, device, seed and thread count. */
    Map<String, Object> baseParams(String device, long seed, int nthread) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", name);
        params.put("eval_metric", evalMetric);
        if (classCount > 2) {
            params.put("num_class", classCount);
        }
        params.put("tree_method", "hist");
        params.put("device", device);
        params.put("seed", seed);
        params.put("nthread", nthread);
        params.put("verbosity", 1);
        return params;
    }
}

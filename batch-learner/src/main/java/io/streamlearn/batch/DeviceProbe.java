package io.streamlearn.batch;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Finds out, before a run spends minutes, which device XGBoost really trains on when asked for CUDA. XGBoost does not
 * fail without a GPU (or with its CPU-only library): it logs a warning and trains on the CPU. So this class trains a
 * two-row booster with {@code device=cuda} and reads the device back from that booster's own configuration
 * ({@link BoosterConfig}). Done once per process (milliseconds). Each real fit reads its own device back too
 * ({@link BoosterFit#device()}): the probe predicts, the fits prove.
 */
public final class DeviceProbe {

    private static final Map<String, DeviceReport> CACHE = new ConcurrentHashMap<>();

    private DeviceProbe() {
    }

    /** Where a fit with this requested device ({@code cpu}, {@code cuda}, {@code auto}) trains. */
    public static DeviceReport resolve(String requested) {
        if ("cpu".equals(requested)) {
            return new DeviceReport(requested, "cpu", "device=cpu requested");
        }
        DeviceReport cuda = CACHE.computeIfAbsent("cuda", key -> probe());
        return new DeviceReport(requested, cuda.used(), cuda.evidence());
    }

    /** The value of XGBoost's {@code device} parameter for a fit that {@link #resolve} reported. */
    static String parameter(DeviceReport report) {
        return "cuda".equals(report.requested()) || report.usedGpu() ? "cuda" : "cpu";
    }

    private static DeviceReport probe() {
        DMatrix matrix = null;
        Booster booster = null;
        try {
            matrix = new DMatrix(new float[] {0, 1, 1, 0}, 2, 2, Float.NaN);
            matrix.setLabel(new float[] {0, 1});
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "binary:logistic");
            params.put("tree_method", "hist");
            params.put("device", "cuda");
            params.put("verbosity", 1);
            booster = XGBoost.train(matrix, params, 1, new HashMap<>(), null, null);
            String device = BoosterConfig.device(booster);
            return new DeviceReport("cuda", BoosterConfig.kind(device),
                    "XGBoost's configuration of a booster trained with device=cuda: device=" + device);
        } catch (XGBoostError e) {
            return new DeviceReport("cuda", "cpu", "XGBoost could not train with device=cuda: " + e.getMessage());
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }
}

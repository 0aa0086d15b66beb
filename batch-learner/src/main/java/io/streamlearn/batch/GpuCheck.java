package io.streamlearn.batch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains the same XGBoost model on the CPU and with {@code device=cuda} and times both: what {@code bin/streamlearn
 * gpu-check} prints. The default shape matches the anchor measured with XGBoost's CUDA library (shared/STACK.md):
 * {@code binary:logistic}, {@code hist}, depth 8, 200 rounds, 28 features. Where XGBoost falls back to the CPU for
 * {@code device=cuda} ({@link DeviceProbe}), the CUDA fit is not run: it would time the CPU twice.
 *
 * @param cpuSeconds      wall time of the CPU fit
 * @param cudaSeconds     wall time of the CUDA fit; {@code NaN} when XGBoost would not use a GPU
 * @param cpuLogLoss      training log-loss of the CPU model (both should be close; GPU trees are not identical)
 * @param cudaLogLoss     the same for the CUDA model; {@code NaN} without a GPU
 * @param cuda            what XGBoost did with {@code device=cuda}: the probe's report, or, once the CUDA fit ran,
 *                        the device that fit's own booster names
 * @param cpuDevice       the device the CPU fit's booster names (always {@code cpu})
 */
public record GpuCheck(int rows, int features, int rounds, int nthread, double cpuSeconds, double cudaSeconds,
        double cpuLogLoss, double cudaLogLoss, DeviceReport cuda, String cpuDevice) {

    public static GpuCheck run(int rows, int features, int rounds, int nthread, long seed) {
        DenseRows data = synthetic(rows, features, seed);
        DeviceReport probed = DeviceProbe.resolve("cuda");
        Fit cpu = fit(data, "cpu", rounds, nthread, seed);
        if (!probed.usedGpu()) {
            return new GpuCheck(rows, features, rounds, nthread, cpu.seconds, Double.NaN, cpu.logLoss, Double.NaN,
                    probed, cpu.device);
        }
        Fit gpu = fit(data, "cuda", rounds, nthread, seed);
        DeviceReport cuda = new DeviceReport("cuda", BoosterConfig.kind(gpu.device),
                "XGBoost's configuration of the timed fit's booster: device=" + gpu.device, Map.of(gpu.device, 1));
        return new GpuCheck(rows, features, rounds, nthread, cpu.seconds, cuda.usedGpu() ? gpu.seconds : Double.NaN,
                cpu.logLoss, cuda.usedGpu() ? gpu.logLoss : Double.NaN, cuda, cpu.device);
    }

    private record Fit(double seconds, double logLoss, String device) {
    }

    public double speedup() {
        return cpuSeconds / cudaSeconds;
    }

    /** Seconds, training log-loss and the device of one fit. */
    private static Fit fit(DenseRows data, String device, int rounds, int nthread, long seed) {
        Map<String, Object> params = new LinkedHashMap<>(
                new Objective("binary:logistic", "logloss", 2).baseParams(device, seed, nthread));
        params.put("max_depth", 8);
        params.put("eta", 0.1);
        long start = System.nanoTime();
        BoosterFit fit = BoosterFit.train(params, data, null, rounds, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            float[][] p = fit.booster().inplace_predict(data.values(), data.rows(), data.columns(), Float.NaN);
            double loss = 0;
            for (int i = 0; i < p.length; i++) {
                double q = Math.min(Math.max(p[i][0], 1e-7), 1 - 1e-7);
                loss -= data.label(i) == 1 ? Math.log(q) : Math.log(1 - q);
            }
            return new Fit(seconds, loss / p.length, fit.device());
        } catch (XGBoostError e) {
            throw new RetrainException(RetrainException.Reason.TRAINING_FAILED, "XGBoost failed: " + e.getMessage(), e);
        } finally {
            fit.booster().dispose();
        }
    }

    /** Gaussian features; the class follows a noisy logistic function of a few of them and one interaction. */
    static DenseRows synthetic(int rows, int features, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * features];
        float[] labels = new float[rows];
        for (int r = 0; r < rows; r++) {
            double score = 0;
            for (int c = 0; c < features; c++) {
                float value = (float) random.nextGaussian();
                values[r * features + c] = value;
                score += c < 6 ? value / (c + 1) : 0;
            }
            if (features > 1) {
                score += values[r * features] * values[r * features + 1];
            }
            labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-2 * score)) ? 1 : 0;
        }
        return new DenseRows(values, rows, features, labels);
    }
}

package io.streamlearn.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Finds out which device XGBoost really trains on when asked for CUDA. XGBoost does not fail without a GPU (or with
 * its CPU-only library): it logs a warning and trains on the CPU. The booster's saved JSON configuration would say so
 * ({@code learner.generic_param.device}), but XGBoost4J 3.4.0's Java API exposes neither {@code
 * XGBoosterSaveJsonConfig} nor a log callback, and the warning goes to the native standard error, out of the JVM's
 * reach. So a child JVM on the same classpath trains a two-row booster with {@code device=cuda} and this class reads
 * XGBoost's own words from its standard error: the fallback warning means CPU. Done once per process (about a second).
 */
public final class DeviceProbe {

    /** What XGBoost writes when {@code device=cuda} falls back to the CPU (src/context.cc and the CPU-only build). */
    static final List<String> FALLBACK_MARKERS = List.of("Device is changed from GPU to CPU",
            "XGBoost is not compiled with CUDA", "No visible GPU is found", "cudaErrorNoDevice",
            "CUDA driver version is insufficient");

    private static final String DONE = "device-probe: trained";
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
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                DeviceProbe.class.getName()).redirectErrorStream(true);
        try {
            Process process = builder.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new DeviceReport("cuda", "cpu", "device probe did not finish in 60 s");
            }
            return interpret(process.exitValue(), output);
        } catch (IOException e) {
            return new DeviceReport("cuda", "cpu", "device probe could not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeviceReport("cuda", "cpu", "device probe interrupted");
        }
    }

    static DeviceReport interpret(int exitCode, String output) {
        for (String marker : FALLBACK_MARKERS) {
            int at = output.indexOf(marker);
            if (at >= 0) {
                int end = output.indexOf('\n', at);
                return new DeviceReport("cuda", "cpu", "XGBoost: " + output.substring(at, end < 0 ? output.length()
                        : end).strip());
            }
        }
        if (exitCode != 0 || !output.contains(DONE)) {
            return new DeviceReport("cuda", "cpu", "device probe failed (exit " + exitCode + "): "
                    + output.strip().lines().reduce((first, second) -> second).orElse(""));
        }
        return new DeviceReport("cuda", "cuda", "XGBoost trained with device=cuda without falling back to the CPU");
    }

    /** The child's side: train a two-row booster on CUDA; XGBoost writes any fallback to standard error. */
    public static void main(String[] args) throws XGBoostError {
        DMatrix matrix = new DMatrix(new float[] {0, 1, 1, 0}, 2, 2, Float.NaN);
        matrix.setLabel(new float[] {0, 1});
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("tree_method", "hist");
        params.put("device", "cuda");
        params.put("verbosity", 1);
        Booster booster = XGBoost.train(matrix, params, 1, new HashMap<>(), null, null);
        booster.dispose();
        matrix.dispose();
        System.err.flush();
        System.out.println(DONE);
    }
}

package io.streamlearn.batch;

import io.streamlearn.core.config.ConfigValues;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a batch model is trained and gated. Read from {@code retrain.*} keys by {@link #from(ConfigValues)}; every key
 * has the default of {@link #defaults()}.
 *
 * @param trainShare         share of the labelled rows (oldest first) to train on ({@code retrain.train-share}, 0.6)
 * @param validationShare    next share, for early stopping and tuning ({@code retrain.validation-share}, 0.2); the
 *                           newest rest is the held-out test split of the champion/challenger gate
 * @param trials             configurations drawn by the random search ({@code retrain.trials}, 9)
 * @param timeBudget         no new trial starts after this much search time ({@code retrain.time-budget-ms}, 120 s)
 * @param halving            successive halving keeps 1 in this many configurations per rung and gives them this many
 *                           times the rounds ({@code retrain.halving}, 3)
 * @param maxRounds          the most boosting rounds a model gets ({@code retrain.max-rounds}, 300)
 * @param earlyStopping      rounds without a better validation score before a fit stops
 *                           ({@code retrain.early-stopping-rounds}, 20)
 * @param cvFolds            folds of the expanding-window cross-validation of the final candidate
 *                           ({@code retrain.cv-folds}, 4; 0 skips it)
 * @param seed               of the search and of XGBoost ({@code retrain.seed}, 42)
 * @param nthread            XGBoost threads, fixed so that a run repeats bit for bit ({@code retrain.nthread}, 1:
 *                           on a shared 2-core machine two OpenMP threads made a 100k-row run 10× slower, each barrier
 *                           waiting for a descheduled thread; raise it on dedicated cores)
 * @param device             {@code cpu}, {@code cuda} or {@code auto} (cuda when XGBoost sees a GPU)
 *                           ({@code retrain.device}, auto)
 * @param requireGpu         fail the run when XGBoost did not train on CUDA ({@code retrain.require-gpu}, false)
 * @param margin             the challenger's error must be at most {@code (1 - margin)} times each champion's
 *                           (error = 1 - accuracy for classes, mean absolute error for values)
 *                           ({@code retrain.margin}, 0.02)
 * @param alpha              significance level of the gate's paired tests ({@code retrain.alpha}, 0.05)
 * @param minRows            fewest labelled rows a run accepts ({@code retrain.min-rows}, 200)
 * @param maxCells           most labelled rows × features a run accepts, a guard against exhausting memory
 *                           ({@code retrain.max-cells}, 50,000,000: about 200 MB of floats per copy)
 */
public record RetrainSettings(double trainShare, double validationShare, int trials, Duration timeBudget, int halving,
        int maxRounds, int earlyStopping, int cvFolds, long seed, int nthread, String device, boolean requireGpu,
        double margin, double alpha, int minRows, long maxCells) {

    public static final List<String> DEVICES = List.of("cpu", "cuda", "auto");

    public RetrainSettings {
        Objects.requireNonNull(timeBudget, "timeBudget");
        Objects.requireNonNull(device, "device");
        validate(trainShare, validationShare, trials, halving, maxRounds, earlyStopping, cvFolds, nthread, device,
                margin, alpha, minRows, maxCells);
    }

    public static RetrainSettings defaults() {
        return new RetrainSettings(0.6, 0.2, 9, Duration.ofSeconds(120), 3, 300, 20, 4, 42, 1, "auto", false, 0.02,
                0.05, 200, 50_000_000L);
    }

    /**
     * @throws IllegalArgumentException naming the key of a value that does not parse or is out of range
     */
    public static RetrainSettings from(ConfigValues values) {
        RetrainSettings d = defaults();
        return new RetrainSettings(
                values.getDouble("retrain.train-share", d.trainShare),
                values.getDouble("retrain.validation-share", d.validationShare),
                values.getInt("retrain.trials", d.trials),
                Duration.ofMillis(values.getLong("retrain.time-budget-ms", d.timeBudget.toMillis())),
                values.getInt("retrain.halving", d.halving),
                values.getInt("retrain.max-rounds", d.maxRounds),
                values.getInt("retrain.early-stopping-rounds", d.earlyStopping),
                values.getInt("retrain.cv-folds", d.cvFolds),
                values.getLong("retrain.seed", d.seed),
                values.getInt("retrain.nthread", d.nthread),
                values.get("retrain.device", d.device),
                Boolean.parseBoolean(values.get("retrain.require-gpu", String.valueOf(d.requireGpu))),
                values.getDouble("retrain.margin", d.margin),
                values.getDouble("retrain.alpha", d.alpha),
                values.getInt("retrain.min-rows", d.minRows),
                values.getLong("retrain.max-cells", d.maxCells));
    }

    public double testShare() {
        return 1 - trainShare - validationShare;
    }

    public RetrainSettings withDevice(String newDevice, boolean newRequireGpu) {
        return new RetrainSettings(trainShare, validationShare, trials, timeBudget, halving, maxRounds, earlyStopping,
                cvFolds, seed, nthread, newDevice, newRequireGpu, margin, alpha, minRows, maxCells);
    }

    public RetrainSettings withSearch(int newTrials, int newMaxRounds, int newCvFolds) {
        return new RetrainSettings(trainShare, validationShare, newTrials, timeBudget, halving, newMaxRounds,
                earlyStopping, newCvFolds, seed, nthread, device, requireGpu, margin, alpha, minRows, maxCells);
    }

    public RetrainSettings withThreads(int newNthread) {
        return new RetrainSettings(trainShare, validationShare, trials, timeBudget, halving, maxRounds, earlyStopping,
                cvFolds, seed, newNthread, device, requireGpu, margin, alpha, minRows, maxCells);
    }

    public RetrainSettings withSeed(long newSeed) {
        return new RetrainSettings(trainShare, validationShare, trials, timeBudget, halving, maxRounds, earlyStopping,
                cvFolds, newSeed, nthread, device, requireGpu, margin, alpha, minRows, maxCells);
    }

    public RetrainSettings withGate(double newMargin, double newAlpha) {
        return new RetrainSettings(trainShare, validationShare, trials, timeBudget, halving, maxRounds, earlyStopping,
                cvFolds, seed, nthread, device, requireGpu, newMargin, newAlpha, minRows, maxCells);
    }

    public RetrainSettings withLimits(int newMinRows, long newMaxCells) {
        return new RetrainSettings(trainShare, validationShare, trials, timeBudget, halving, maxRounds, earlyStopping,
                cvFolds, seed, nthread, device, requireGpu, margin, alpha, newMinRows, newMaxCells);
    }

    private static void validate(double trainShare, double validationShare, int trials, int halving, int maxRounds,
            int earlyStopping, int cvFolds, int nthread, String device, double margin, double alpha, int minRows,
            long maxCells) {
        check(trainShare > 0 && validationShare > 0 && trainShare + validationShare < 1,
                "retrain.train-share and retrain.validation-share must be positive and leave a test share, not "
                        + trainShare + " and " + validationShare);
        check(trials >= 1, "retrain.trials must be at least 1, not " + trials);
        check(halving >= 2, "retrain.halving must be at least 2, not " + halving);
        check(maxRounds >= 1, "retrain.max-rounds must be at least 1, not " + maxRounds);
        check(earlyStopping >= 1, "retrain.early-stopping-rounds must be at least 1, not " + earlyStopping);
        check(cvFolds >= 0, "retrain.cv-folds must not be negative, not " + cvFolds);
        check(nthread >= 1, "retrain.nthread must be at least 1, not " + nthread);
        check(DEVICES.contains(device), "retrain.device must be one of " + DEVICES + ", not '" + device + "'");
        check(margin >= 0 && margin < 1, "retrain.margin must be in [0, 1), not " + margin);
        check(alpha > 0 && alpha < 1, "retrain.alpha must be in (0, 1), not " + alpha);
        check(minRows >= 10, "retrain.min-rows must be at least 10, not " + minRows);
        check(maxCells >= 1, "retrain.max-cells must be positive, not " + maxCells);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

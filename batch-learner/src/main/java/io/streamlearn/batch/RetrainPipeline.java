package io.streamlearn.batch;

import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.features.FeaturePipeline;
import io.streamlearn.core.learn.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Trains a batch challenger on a labelled window and judges it against the champions: the entry point of the
 * retrainer. Plain Java (no Kafka, no HTTP); one call does everything a run records.
 *
 * <ol>
 *   <li>checks the window and splits its labelled rows by event time into train, validation and test
 *       ({@link TimeSplit});</li>
 *   <li>finds where XGBoost trains ({@link DeviceProbe}); with {@code requireGpu} a run without CUDA fails here
 *       (and later, should any fit's own booster say it trained on the CPU: {@link BoosterConfig});</li>
 *   <li>fits the schema's {@link FeaturePipeline} on the training rows in order (the code the online learner uses)
 *       and searches hyperparameters on train/validation ({@link HyperparameterSearch});</li>
 *   <li>cross-validates the winner on expanding time windows before the test rows;</li>
 *   <li>fits the challenger on train + validation (pipeline refitted on them, then frozen) with the winner's rounds;
 *       </li>
 *   <li>scores challenger, linear baseline and champions on the test rows and applies the gate
 *       ({@link ChampionGate}); computes global SHAP importance on the test rows.</li>
 * </ol>
 *
 * Same window and settings give the same model bytes: the search is seeded, XGBoost's seed and thread count are fixed
 * ({@code hist} is deterministic for a fixed {@code nthread}).
 */
public final class RetrainPipeline {

    /** Key of the challenger in {@link RetrainOutcome#testScores()}. */
    public static final String CHALLENGER = "challenger";
    /** Key of the linear baseline in {@link RetrainOutcome#testScores()}. */
    public static final String LINEAR_BASELINE = "linear-baseline";

    /**
     * Test rows (spread evenly) that global importance is averaged over: TreeSHAP costs about trees × leaves × depth²
     * per row, seconds for 20,000 rows of a deep model, and the mean of |SHAP| settles long before.
     */
    static final int IMPORTANCE_ROWS = 2_000;

    private final RetrainSettings settings;

    public RetrainPipeline(RetrainSettings settings) {
        this.settings = settings;
    }

    /**
     * @param champions the models to beat (online model, last batch model); none means the challenger is promoted
     * @param listener  told of each tuning trial as it finishes
     * @throws RetrainException when the run cannot produce a challenger (a cluster model, no labels, one class, too few
     *                          rows, too many cells, bad data, GPU required but not used, XGBoost failure)
     */
    public RetrainOutcome run(LabeledWindow window, List<Champion> champions, TrialListener listener) {
        for (Champion champion : champions) {
            if (champion.recorded() != null && champion.recorded().size() != window.size()) {
                throw new IllegalArgumentException("champion " + champion.label() + " has "
                        + champion.recorded().size() + " recorded predictions for a window of " + window.size());
            }
        }
        if (!window.schema().task().retrainable()) {
            throw new RetrainException(RetrainException.Reason.UNSUPPORTED_TASK, "model '" + window.schema().model()
                    + "' clusters (task cluster): a retrain trains a supervised model on the labels, which only "
                    + "evaluate a clusterer, and promoted it would answer classes in place of clusters");
        }
        long start = System.nanoTime();
        TimeSplit split = TimeSplit.of(window, settings);
        DeviceReport probed = device();
        Objective objective = Objective.of(window.schema());
        Map<String, Object> base = objective.baseParams(DeviceProbe.parameter(probed), settings.seed(),
                settings.nthread());

        FeaturePipeline tuningPipeline = fittedPipeline(window, split.train());
        DenseRows train = DenseRows.transformed(tuningPipeline, window.features(), window.labels(), split.train());
        DenseRows validation = DenseRows.transformed(tuningPipeline, window.features(), window.labels(),
                split.validation());
        HyperparameterSearch.Result search = new HyperparameterSearch(settings, base, objective.evalMetric())
                .run(train, validation, listener);
        long searched = System.nanoTime();
        Map<String, Integer> fitDevices = new TreeMap<>();
        search.trials().forEach(trial -> fitDevices.merge(trial.device(), 1, Integer::sum));

        CrossValidation crossValidation = crossValidate(window, split.beforeTest(), search, objective, fitDevices);
        long validated = System.nanoTime();

        FeaturePipeline finalPipeline = fittedPipeline(window, split.beforeTest());
        DenseRows beforeTest = DenseRows.transformed(finalPipeline, window.features(), window.labels(),
                split.beforeTest());
        BoosterFit fit = BoosterFit.train(search.bestParams(), beforeTest, null, search.bestRounds(), 1);
        fitDevices.merge(fit.device(), 1, Integer::sum);
        DeviceReport device = usedDevice(probed, fit, fitDevices);
        XGBoostLearner challenger = new XGBoostLearner(spec(search), finalPipeline, fit.booster(), window.schema());
        long fitted = System.nanoTime();

        DenseRows test = DenseRows.transformed(finalPipeline, window.features(), window.labels(), split.test());
        Map<String, Prediction[]> predictions = predictTest(window, split, challenger, beforeTest, test, champions);
        double[] labels = Arrays.stream(split.test()).mapToDouble(i -> window.labels()[i]).toArray();
        Map<String, Evaluation> scores = new LinkedHashMap<>();
        predictions.forEach((label, predicted) -> scores.put(label, evaluate(window, labels, predicted)));
        GateDecision gate = gate(objective, labels, predictions, champions, beforeTest);
        Map<String, Double> importance = sortedByValue(
                challenger.meanAbsoluteContributions(test.spread(IMPORTANCE_ROWS)));
        long evaluated = System.nanoTime();

        Durations durations = new Durations(millis(start, searched), millis(searched, validated),
                millis(validated, fitted), millis(fitted, evaluated), millis(start, evaluated));
        return new RetrainOutcome(window.schema(), split.summary(), search.trials(), search.bestParams(),
                search.bestRounds(), crossValidation, scores, recordedTestRows(champions, split.test()), gate, device,
                durations, importance, challenger, settings);
    }

    /** Test-split predictions of the challenger, the linear baseline (fitted on the same rows) and each champion. */
    private static Map<String, Prediction[]> predictTest(LabeledWindow window, TimeSplit split,
            XGBoostLearner challenger, DenseRows beforeTest, DenseRows test, List<Champion> champions) {
        Map<String, Prediction[]> predictions = new LinkedHashMap<>();
        predictions.put(CHALLENGER, challenger.predictAll(test));
        predictions.put(LINEAR_BASELINE,
                LinearBaseline.fit(beforeTest, Objective.of(window.schema()).classCount()).predictAll(test));
        for (Champion champion : champions) {
            predictions.put(champion.label(), predict(champion, window, split.test()));
        }
        return predictions;
    }

    /**
     * Wall time in milliseconds of one untuned fit: the search's anchor configuration (learning rate 0.1, depth 6)
     * for {@code maxRounds} rounds on the rows before the test split, pipeline fitting included, on the settings'
     * device. The unit in which the
     * cost of a tuned {@link #run} is stated (docs/retraining.md).
     */
    public long timeOneFit(LabeledWindow window) {
        TimeSplit split = TimeSplit.of(window, settings);
        long start = System.nanoTime();
        Map<String, Object> params = new LinkedHashMap<>(Objective.of(window.schema()).baseParams(
                DeviceProbe.parameter(DeviceProbe.resolve(settings.device())), settings.seed(), settings.nthread()));
        params.putAll(HyperparameterSearch.sample(1, settings.seed()).get(0));
        FeaturePipeline pipeline = fittedPipeline(window, split.beforeTest());
        DenseRows rows = DenseRows.transformed(pipeline, window.features(), window.labels(), split.beforeTest());
        BoosterFit.train(params, rows, null, settings.maxRounds(), 1).booster().dispose();
        return millis(start, System.nanoTime());
    }

    /**
     * Where XGBoost really trained, from the challenger's own booster, with every fit of the run counted by device;
     * with {@code requireGpu}, a failure if any fit fell back to the CPU after all (the probe only predicts).
     */
    private DeviceReport usedDevice(DeviceReport probed, BoosterFit challenger, Map<String, Integer> fitDevices) {
        boolean allOnGpu = fitDevices.keySet().stream().allMatch(device -> "cuda".equals(BoosterConfig.kind(device)));
        if (settings.requireGpu() && !allOnGpu) {
            challenger.booster().dispose();
            throw new RetrainException(RetrainException.Reason.GPU_REQUIRED, "retrain.require-gpu is set but XGBoost "
                    + "trained on the CPU after all (fits by device: " + fitDevices + ")");
        }
        return new DeviceReport(probed.requested(), BoosterConfig.kind(challenger.device()),
                "XGBoost's configuration of the challenger's booster: device=" + challenger.device(), fitDevices);
    }

    /** Where XGBoost will train; with {@code requireGpu}, a failure unless that is CUDA. */
    private DeviceReport device() {
        DeviceReport device = DeviceProbe.resolve(settings.device());
        if (settings.requireGpu() && !device.usedGpu()) {
            throw new RetrainException(RetrainException.Reason.GPU_REQUIRED, "retrain.require-gpu is set but XGBoost "
                    + "would train on the CPU (" + device.evidence() + ")");
        }
        return device;
    }

    private static FeaturePipeline fittedPipeline(LabeledWindow window, int[] rows) {
        FeaturePipeline pipeline = FeaturePipeline.of(window.schema());
        for (int row : rows) {
            pipeline.learn(window.features().get(row));
        }
        return pipeline;
    }

    /**
     * Expanding window: the rows before the test split in {@code cvFolds + 1} time-ordered blocks; fold {@code i}
     * refits the pipeline and the winner (its rounds, no early stopping) on blocks {@code 0..i} and scores block
     * {@code i + 1}.
     */
    private CrossValidation crossValidate(LabeledWindow window, int[] rows, HyperparameterSearch.Result search,
            Objective objective, Map<String, Integer> fitDevices) {
        int folds = settings.cvFolds();
        if (folds == 0 || rows.length / (folds + 1) < 2) {
            return null;
        }
        int block = rows.length / (folds + 1);
        List<Double> errors = new ArrayList<>();
        for (int fold = 0; fold < folds; fold++) {
            int[] trainRows = Arrays.copyOfRange(rows, 0, block * (fold + 1));
            int end = fold == folds - 1 ? rows.length : block * (fold + 2);
            int[] scoredRows = Arrays.copyOfRange(rows, block * (fold + 1), end);
            FeaturePipeline pipeline = fittedPipeline(window, trainRows);
            DenseRows foldTrain = DenseRows.transformed(pipeline, window.features(), window.labels(), trainRows);
            DenseRows foldTest = DenseRows.transformed(pipeline, window.features(), window.labels(), scoredRows);
            BoosterFit fit = BoosterFit.train(search.bestParams(), foldTrain, null, search.bestRounds(), 1);
            fitDevices.merge(fit.device(), 1, Integer::sum);
            XGBoostLearner model = new XGBoostLearner("xgboost cv", pipeline, fit.booster(), window.schema());
            errors.add(error(objective, foldTest, model.predictAll(foldTest)));
            fit.booster().dispose();
        }
        return CrossValidation.of(objective.errorMetric(), errors);
    }

    private static double error(Objective objective, DenseRows rows, Prediction[] predictions) {
        double sum = 0;
        for (int i = 0; i < predictions.length; i++) {
            sum += objective.classification()
                    ? (predictions[i].predictedClass() == (int) rows.label(i) ? 0 : 1)
                    : Math.abs(rows.label(i) - predictions[i].value());
        }
        return sum / predictions.length;
    }

    private GateDecision gate(Objective objective, double[] labels, Map<String, Prediction[]> predictions,
            List<Champion> champions, DenseRows beforeTest) {
        ChampionGate gate = new ChampionGate(settings.margin(), settings.alpha());
        double trainMean = 0;
        for (int i = 0; i < beforeTest.rows(); i++) {
            trainMean += beforeTest.label(i) / beforeTest.rows();
        }
        Map<String, Comparison> comparisons = new LinkedHashMap<>();
        Prediction[] challenger = predictions.get(CHALLENGER);
        for (Champion champion : champions) {
            Prediction[] other = predictions.get(champion.label());
            comparisons.put(champion.label(), objective.classification()
                    ? gate.classification(champion.label(), labels, challenger, other)
                    : gate.regression(champion.label(), labels, challenger, other, trainMean));
        }
        return gate.decide(comparisons);
    }

    /** The champion's test predictions: those it recorded before learning a row, else its learner's. */
    private static Prediction[] predict(Champion champion, LabeledWindow window, int[] rows) {
        Prediction[] predictions = new Prediction[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Prediction recorded = champion.recorded(rows[i]);
            predictions[i] = recorded != null ? recorded : champion.learner().predict(window.features().get(rows[i]));
        }
        return predictions;
    }

    /** For each champion, how many test rows its recorded predictions scored. */
    private static Map<String, Integer> recordedTestRows(List<Champion> champions, int[] rows) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Champion champion : champions) {
            counts.put(champion.label(), (int) Arrays.stream(rows).filter(row -> champion.recorded(row) != null).count());
        }
        return counts;
    }

    private static Evaluation evaluate(LabeledWindow window, double[] labels, Prediction[] predictions) {
        PrequentialEvaluator evaluator = PrequentialEvaluator.forSchema(window.schema(), Math.max(1, labels.length));
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i].hasValue()) {
                evaluator.record(labels[i], predictions[i]);
            }
        }
        Evaluation e = evaluator.evaluation();
        return new Evaluation(e.instances(), e.correct(), e.accuracy(), e.kappa(), e.rocAuc(), e.perClass(), e.mae(),
                e.mse(), e.rmse(), e.r2(), null, null);
    }

    /** {@code xgboost hist} and the winner's parameters, e.g. {@code xgboost hist eta=0.1 max_depth=6 rounds=180}. */
    private static String spec(HyperparameterSearch.Result search) {
        Map<String, Object> shown = new TreeMap<>(search.bestParams());
        shown.keySet().removeAll(List.of("tree_method", "device", "nthread", "verbosity", "seed", "eval_metric"));
        return XGBoostLearner.SPEC_PREFIX + " hist " + shown.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")) + " rounds="
                + search.bestRounds();
    }

    private static Map<String, Double> sortedByValue(Map<String, Double> values) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        values.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}

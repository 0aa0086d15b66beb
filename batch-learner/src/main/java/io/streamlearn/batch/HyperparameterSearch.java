package io.streamlearn.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random search (Bergstra and Bengio, JMLR 13, 2012) with successive halving (Jamieson and Talwalkar, AISTATS 2016;
 * the inner loop of Hyperband, Li et al., JMLR 18, 2018) over learning rate, depth, minimum child weight, row and
 * column subsampling and L2/L1 regularisation, with boosting rounds as the halved resource and early stopping on the
 * validation split inside each fit.
 *
 * <p>Why not Bayesian optimisation (TPE): with the small budgets a retrain can afford (about ten configurations), a
 * TPE model has too few observations to beat random sampling, and its proposals depend on the order trials finish;
 * successive halving spends most of the budget on the promising configurations, is simple to bound in time (the whole
 * search costs about {@code rungs} full fits) and repeats exactly for a seed.
 *
 * <p>Configuration 0 is a conventional anchor (learning rate 0.1, depth 6, no subsampling), so the search never does
 * worse than a plain default fit.
 */
final class HyperparameterSearch {

    /** The search's winner: its parameters (with the run's fixed ones) and rounds up to its best validation score. */
    record Result(List<Trial> trials, Map<String, Object> bestParams, int bestRounds, double bestScore) {
    }

    private final RetrainSettings settings;
    private final Map<String, Object> baseParams;
    private final String metric;

    HyperparameterSearch(RetrainSettings settings, Map<String, Object> baseParams, String metric) {
        this.settings = settings;
        this.baseParams = Map.copyOf(baseParams);
        this.metric = metric;
    }

    Result run(DenseRows train, DenseRows validation, TrialListener listener) {
        long deadline = System.nanoTime() + settings.timeBudget().toNanos();
        List<Map<String, Object>> configurations = sample(settings.trials(), settings.seed());
        int rungs = rungCount(configurations.size(), settings.halving());
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < configurations.size(); i++) {
            alive.add(i);
        }
        List<Trial> trials = new ArrayList<>();
        Trial best = null;
        for (int rung = 0; rung < rungs && !alive.isEmpty(); rung++) {
            int budget = roundBudget(rung, rungs);
            List<Trial> rungTrials = new ArrayList<>();
            for (int number : alive) {
                if (best != null && System.nanoTime() > deadline) {
                    break;
                }
                Trial trial = trial(number, rung, configurations.get(number), budget, train, validation);
                trials.add(trial);
                rungTrials.add(trial);
                listener.trialFinished(trial);
                if (best == null || trial.validationScore() < best.validationScore()
                        || trial.validationScore() == best.validationScore() && trial.rung() > best.rung()) {
                    best = trial;
                }
            }
            rungTrials.sort(Comparator.comparingDouble(Trial::validationScore).thenComparingInt(Trial::number));
            int keep = (int) Math.ceil(rungTrials.size() / (double) settings.halving());
            alive = rungTrials.subList(0, Math.min(keep, rungTrials.size())).stream().map(Trial::number).toList();
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        Map<String, Object> params = new LinkedHashMap<>(baseParams);
        params.putAll(best.params());
        return new Result(trials, params, best.bestRounds(), best.validationScore());
    }

    /** Rungs so that the last one trains a single configuration: 1 + floor(log_halving(n)). */
    static int rungCount(int configurations, int halving) {
        int rungs = 1;
        for (long left = configurations; left >= halving; left /= halving) {
            rungs++;
        }
        return rungs;
    }

    /** The last rung gets {@code maxRounds}, each earlier one {@code halving} times fewer (at least 10). */
    private int roundBudget(int rung, int rungs) {
        double budget = settings.maxRounds() / Math.pow(settings.halving(), rungs - 1 - rung);
        return (int) Math.max(Math.min(10, settings.maxRounds()), Math.round(budget));
    }

    private Trial trial(int number, int rung, Map<String, Object> configuration, int budget, DenseRows train,
            DenseRows validation) {
        long start = System.nanoTime();
        Map<String, Object> params = new LinkedHashMap<>(baseParams);
        params.putAll(configuration);
        BoosterFit fit = BoosterFit.train(params, train, validation, budget, settings.earlyStopping());
        fit.booster().dispose();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Trial(number, rung, configuration, budget, fit.bestRounds(), metric, fit.bestScore(), fit.curve(),
                millis, fit.device());
    }

    static List<Map<String, Object>> sample(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Object>> configurations = new ArrayList<>();
        configurations.add(configuration(0.1, 6, 1.0, 1.0, 1.0, 1.0, 0.0));
        while (configurations.size() < count) {
            configurations.add(configuration(
                    logUniform(random, 0.02, 0.3),
                    3 + random.nextInt(8),
                    logUniform(random, 0.5, 20),
                    0.6 + 0.4 * random.nextDouble(),
                    0.6 + 0.4 * random.nextDouble(),
                    logUniform(random, 0.1, 10),
                    logUniform(random, 0.001, 1)));
        }
        return configurations;
    }

    private static Map<String, Object> configuration(double eta, int depth, double minChildWeight, double subsample,
            double colsample, double lambda, double alpha) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("eta", round(eta));
        values.put("max_depth", depth);
        values.put("min_child_weight", round(minChildWeight));
        values.put("subsample", round(subsample));
        values.put("colsample_bytree", round(colsample));
        values.put("lambda", round(lambda));
        values.put("alpha", round(alpha));
        return values;
    }

    private static double logUniform(SplittableRandom random, double low, double high) {
        return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
    }

    /** Four decimals: readable in run records, and the value recorded is exactly the value trained with. */
    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}

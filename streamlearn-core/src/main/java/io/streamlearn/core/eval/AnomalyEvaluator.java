package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;
import java.util.Arrays;

/**
 * Scores of an anomaly detector: alerts by its {@link AlertRule}, and, over the last {@code window} labelled events,
 * ROC-AUC (exact, Mann-Whitney with ties counting one half) and precision at k, k being the number of true anomalies
 * in the window (R-precision: a perfect ranking scores 1). Anomaly scores are on each detector's own scale, so AUC is
 * computed from the ranks, not from binned scores as for classes.
 */
final class AnomalyEvaluator implements PrequentialEvaluator {

    private static final long serialVersionUID = 1L;

    private final AlertRule rule;
    private final double[] labelledScores;
    private final boolean[] labelledAnomalies;
    private final double[] recentScores;
    private long labelled;
    private long scored;
    private long alerts;

    AnomalyEvaluator(int windowSize, AlertRule rule) {
        this.rule = rule;
        this.labelledScores = new double[windowSize];
        this.labelledAnomalies = new boolean[windowSize];
        this.recentScores = new double[AlertRule.RECENT];
    }

    /** @param label 1 for an anomaly (the target's second value), 0 for a normal event */
    @Override
    public void record(double label, Prediction prediction) {
        if (!prediction.hasValue()) {
            return;
        }
        int slot = (int) (labelled % labelledScores.length);
        labelledScores[slot] = prediction.value();
        labelledAnomalies[slot] = label >= 0.5;
        labelled++;
    }

    @Override
    public boolean observe(Prediction prediction) {
        if (!prediction.hasValue()) {
            return false;
        }
        double score = prediction.value();
        boolean alert = rule.threshold() != null ? score > rule.threshold() : aboveRecentQuantile(score);
        recentScores[(int) (scored % recentScores.length)] = score;
        scored++;
        if (alert) {
            alerts++;
        }
        return alert;
    }

    private boolean aboveRecentQuantile(double score) {
        int size = (int) Math.min(scored, recentScores.length);
        if (size < AlertRule.WARM_UP) {
            return false;
        }
        double[] sorted = Arrays.copyOf(recentScores, size);
        Arrays.sort(sorted);
        int index = Math.min(size - 1, (int) Math.floor((1 - rule.rate()) * size));
        // At or above the quantile: detectors with discrete scores (HS-Trees' masses) put all clear outliers on one
        // top value. Never when the quantile is the window's minimum (all scores equal, e.g. a reference window).
        return score >= sorted[index] && sorted[index] > sorted[0];
    }

    @Override
    public Evaluation evaluation() {
        int size = (int) Math.min(labelled, labelledScores.length);
        Integer[] order = new Integer[size];
        int anomalies = 0;
        for (int i = 0; i < size; i++) {
            order[i] = i;
            anomalies += labelledAnomalies[i] ? 1 : 0;
        }
        if (anomalies == 0 || anomalies == size) {
            return Evaluation.anomaly(scored, alerts, labelledScores.length, null, null);
        }
        Arrays.sort(order, (a, b) -> Double.compare(labelledScores[b], labelledScores[a]));
        int hits = 0;
        for (int i = 0; i < anomalies; i++) {
            hits += labelledAnomalies[order[i]] ? 1 : 0;
        }
        return Evaluation.anomaly(scored, alerts, labelledScores.length, auc(order, anomalies, size),
                hits / (double) anomalies);
    }

    /** Walks the scores from the highest down, counting for each normal event the anomalies ranked above it. */
    private double auc(Integer[] descending, int anomalies, int size) {
        double wins = 0;
        int anomaliesAbove = 0;
        int i = 0;
        while (i < size) {
            int j = i;
            int tiedAnomalies = 0;
            int tiedNormals = 0;
            while (j < size && labelledScores[descending[j]] == labelledScores[descending[i]]) {
                if (labelledAnomalies[descending[j]]) {
                    tiedAnomalies++;
                } else {
                    tiedNormals++;
                }
                j++;
            }
            wins += tiedNormals * (anomaliesAbove + tiedAnomalies / 2.0);
            anomaliesAbove += tiedAnomalies;
            i = j;
        }
        return wins / ((double) anomalies * (size - anomalies));
    }
}

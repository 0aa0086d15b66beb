package io.streamlearn.core.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Counts of (true class, predicted class) pairs, with the figures derived from them. */
final class ConfusionMatrix implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[][] counts;
    private long total;

    ConfusionMatrix(int classes) {
        this.counts = new long[classes][classes];
    }

    void add(int trueClass, int predictedClass, int delta) {
        counts[trueClass][predictedClass] += delta;
        total += delta;
    }

    long total() {
        return total;
    }

    long correct() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        return correct;
    }

    double accuracy() {
        return total == 0 ? 0.0 : (double) correct() / total;
    }

    /** Cohen's kappa: agreement beyond chance, (p0 - pc) / (1 - pc) (Cohen 1960; as MOA's evaluators compute it). */
    double kappa() {
        if (total == 0) {
            return 0.0;
        }
        double chance = 0;
        for (int c = 0; c < counts.length; c++) {
            chance += ((double) rowSum(c) / total) * ((double) columnSum(c) / total);
        }
        return chance >= 1.0 ? 0.0 : (accuracy() - chance) / (1.0 - chance);
    }

    List<Evaluation.ClassScores> perClass(List<String> labels) {
        List<Evaluation.ClassScores> scores = new ArrayList<>(labels.size());
        for (int c = 0; c < counts.length; c++) {
            long truePositives = counts[c][c];
            double precision = ratio(truePositives, columnSum(c));
            double recall = ratio(truePositives, rowSum(c));
            double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
            scores.add(new Evaluation.ClassScores(labels.get(c), precision, recall, f1));
        }
        return scores;
    }

    private long rowSum(int trueClass) {
        long sum = 0;
        for (long count : counts[trueClass]) {
            sum += count;
        }
        return sum;
    }

    private long columnSum(int predictedClass) {
        long sum = 0;
        for (long[] row : counts) {
            sum += row[predictedClass];
        }
        return sum;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}

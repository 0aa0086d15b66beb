package io.streamlearn.core.eval;

import java.io.Serializable;

/**
 * Streaming one-vs-rest ROC-AUC with bounded memory: each class's score is binned ({@value #BINS} bins over [0, 1])
 * separately for positives and negatives, and AUC is the probability that a positive outscores a negative, ties
 * within a bin counting one half (the Mann-Whitney form). The binning bounds the error by the share of pairs that
 * fall into one bin. Reported as the macro average over classes that have both positives and negatives.
 */
final class RocAucHistogram implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int BINS = 1000;

    private final long[][] positives;
    private final long[][] negatives;

    RocAucHistogram(int classes) {
        this.positives = new long[classes][BINS];
        this.negatives = new long[classes][BINS];
    }

    void add(int trueClass, double[] scores) {
        for (int c = 0; c < positives.length; c++) {
            double score = c < scores.length ? scores[c] : 0.0;
            int bin = Math.min(BINS - 1, Math.max(0, (int) (score * BINS)));
            if (c == trueClass) {
                positives[c][bin]++;
            } else {
                negatives[c][bin]++;
            }
        }
    }

    /** Macro-averaged AUC, or {@code null} while no class has both positives and negatives. */
    Double macroAuc() {
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < positives.length; c++) {
            double auc = auc(positives[c], negatives[c]);
            if (!Double.isNaN(auc)) {
                sum += auc;
                classes++;
            }
        }
        return classes == 0 ? null : sum / classes;
    }

    private static double auc(long[] positive, long[] negative) {
        double negativesBelow = 0;
        double wins = 0;
        long positiveTotal = 0;
        long negativeTotal = 0;
        for (int bin = 0; bin < BINS; bin++) {
            wins += positive[bin] * (negativesBelow + negative[bin] / 2.0);
            negativesBelow += negative[bin];
            positiveTotal += positive[bin];
            negativeTotal += negative[bin];
        }
        return positiveTotal == 0 || negativeTotal == 0 ? Double.NaN : wins / ((double) positiveTotal * negativeTotal);
    }
}

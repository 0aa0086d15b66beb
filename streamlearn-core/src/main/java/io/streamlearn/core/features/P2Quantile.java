package io.streamlearn.core.features;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A running quantile in constant memory: the P² algorithm (R. Jain and I. Chlamtac, "The P² algorithm for dynamic
 * calculation of quantiles and histograms without storing observations", CACM 28(10), 1985). Five markers track the
 * minimum, the p/2, p and (1+p)/2 quantiles and the maximum, adjusted by piecewise-parabolic interpolation. Until five
 * values have been seen it answers the exact quantile of those seen (linear interpolation between order statistics).
 */
final class P2Quantile implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double p;
    private final double[] heights = new double[5];
    private final double[] positions = new double[5];
    private final double[] desired = new double[5];
    private final double[] increments;
    private long count;

    P2Quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1), got " + p);
        }
        this.p = p;
        this.increments = new double[] {0, p / 2, p, (1 + p) / 2, 1};
    }

    void add(double x) {
        if (count < 5) {
            heights[(int) count++] = x;
            if (count == 5) {
                Arrays.sort(heights);
                for (int i = 0; i < 5; i++) {
                    positions[i] = i + 1;
                }
                desired[0] = 1;
                desired[1] = 1 + 2 * p;
                desired[2] = 1 + 4 * p;
                desired[3] = 3 + 2 * p;
                desired[4] = 5;
            }
            return;
        }
        count++;
        int cell = cell(x);
        for (int i = cell + 1; i < 5; i++) {
            positions[i]++;
        }
        for (int i = 0; i < 5; i++) {
            desired[i] += increments[i];
        }
        for (int i = 1; i <= 3; i++) {
            adjust(i);
        }
    }

    /** The current estimate; {@code NaN} before the first value. */
    double value() {
        if (count == 0) {
            return Double.NaN;
        }
        if (count < 5) {
            double[] seen = Arrays.copyOf(heights, (int) count);
            Arrays.sort(seen);
            double rank = p * (seen.length - 1);
            int below = (int) Math.floor(rank);
            int above = Math.min(below + 1, seen.length - 1);
            return seen[below] + (rank - below) * (seen[above] - seen[below]);
        }
        return heights[2];
    }

    /** Finds the cell of x among the markers, widening the extremes when x falls outside them. */
    private int cell(double x) {
        if (x < heights[0]) {
            heights[0] = x;
            return 0;
        }
        if (x >= heights[4]) {
            heights[4] = Math.max(heights[4], x);
            return 3;
        }
        int k = 0;
        while (x >= heights[k + 1]) {
            k++;
        }
        return k;
    }

    private void adjust(int i) {
        double d = desired[i] - positions[i];
        if ((d >= 1 && positions[i + 1] - positions[i] > 1) || (d <= -1 && positions[i - 1] - positions[i] < -1)) {
            int sign = d > 0 ? 1 : -1;
            double parabolic = parabolic(i, sign);
            heights[i] = heights[i - 1] < parabolic && parabolic < heights[i + 1] ? parabolic : linear(i, sign);
            positions[i] += sign;
        }
    }

    private double parabolic(int i, int d) {
        return heights[i] + d / (positions[i + 1] - positions[i - 1])
                * ((positions[i] - positions[i - 1] + d) * (heights[i + 1] - heights[i]) / (positions[i + 1] - positions[i])
                + (positions[i + 1] - positions[i] - d) * (heights[i] - heights[i - 1]) / (positions[i] - positions[i - 1]));
    }

    private double linear(int i, int d) {
        return heights[i] + d * (heights[i + d] - heights[i]) / (positions[i + d] - positions[i]);
    }
}

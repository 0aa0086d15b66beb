package io.streamlearn.drift.statistics;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Jensen-Shannon distance: the square root of the Jensen-Shannon divergence with base-2 logarithms, so it lies in
 * [0, 1] and is a metric (Endres and Schindelin, <i>A new metric for probability distributions</i>, IEEE Trans. Inf.
 * Theory 49, 2003). Equal to SciPy's {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}.
 */
public final class JensenShannonDistance {

    private JensenShannonDistance() {
    }

    public static double between(Map<String, Long> reference, Map<String, Long> current) {
        Set<String> categories = new LinkedHashSet<>(reference.keySet());
        categories.addAll(current.keySet());
        double[] p = new double[categories.size()];
        double[] q = new double[categories.size()];
        int i = 0;
        for (String category : categories) {
            p[i] = reference.getOrDefault(category, 0L);
            q[i] = current.getOrDefault(category, 0L);
            i++;
        }
        return ofWeights(p, q);
    }

    /** Distance between two non-negative weight vectors, each normalised to sum 1. */
    public static double ofWeights(double[] p, double[] q) {
        double sp = sum(p);
        double sq = sum(q);
        if (sp == 0 || sq == 0) {
            return Double.NaN;
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / sp;
            double b = q[i] / sq;
            double m = (a + b) / 2;
            divergence += term(a, m) / 2 + term(b, m) / 2;
        }
        return Math.sqrt(Math.max(0, divergence));
    }

    private static double term(double x, double m) {
        return x == 0 ? 0 : x * Math.log(x / m) / Math.log(2);
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total;
    }
}

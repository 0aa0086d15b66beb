package io.streamlearn.drift.statistics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Pearson's chi-square test of homogeneity on the 2 x k table of category counts (reference row, current row), with
 * (k - 1) degrees of freedom; p-value from Commons Statistics. Categories seen in neither window are left out.
 */
public final class ChiSquareHomogeneity {

    private ChiSquareHomogeneity() {
    }

    public static TestResult test(Map<String, Long> reference, Map<String, Long> current) {
        Set<String> categories = new LinkedHashSet<>(reference.keySet());
        categories.addAll(current.keySet());
        List<String> used = new ArrayList<>();
        for (String category : categories) {
            if (reference.getOrDefault(category, 0L) + current.getOrDefault(category, 0L) > 0) {
                used.add(category);
            }
        }
        long[][] table = new long[2][used.size()];
        for (int j = 0; j < used.size(); j++) {
            table[0][j] = reference.getOrDefault(used.get(j), 0L);
            table[1][j] = current.getOrDefault(used.get(j), 0L);
        }
        if (sum(table[0]) == 0 || sum(table[1]) == 0) {
            return new TestResult(Double.NaN, Double.NaN);
        }
        if (used.size() < 2) {
            return new TestResult(0, 1);
        }
        SignificanceResult result = ChiSquareTest.withDefaults().test(table);
        return new TestResult(result.getStatistic(), result.getPValue());
    }

    private static long sum(long[] row) {
        long total = 0;
        for (long value : row) {
            total += value;
        }
        return total;
    }
}

package io.streamlearn.drift.statistics;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Two-sample Kolmogorov-Smirnov test on the samples kept in bounded reservoirs (see {@link NumericSample}).
 *
 * <p>Why reservoirs and not the KLL sketches: Commons Statistics computes the p-value from the two samples themselves
 * (exact for small samples, the asymptotic Kolmogorov distribution otherwise); it has no entry point taking a D
 * statistic and sample sizes. Feeding it the sketches' quantiles would pretend the sample size is the number of
 * quantiles and give meaningless p-values. A uniform random subsample of each window is a valid sample of it, so the
 * test stays exact in level; it only loses power, which the capped size also keeps from flagging trivial shifts in
 * large windows.
 */
public final class KolmogorovSmirnov {

    private static final KolmogorovSmirnovTest TEST = KolmogorovSmirnovTest.withDefaults();
    /**
     * With ties, Commons Statistics' exact method needs a random source to estimate p; the asymptotic one does not.
     * Deterministic results matter more here than the last digit of a p-value.
     */
    private static final KolmogorovSmirnovTest TIES_TEST = TEST.with(PValueMethod.ASYMPTOTIC);

    /**
     * Commons Statistics' D and p depend on the samples only through the integral statistic D x lcm(n, m), n, m and
     * the p-value method (its {@code test}: {@code computeD(dnm, n, m)} and {@code twoSampleP(dnm, n, m, ...)}), and
     * the p-value (the Kolmogorov distribution in double-double arithmetic) was half a window's evaluation in
     * bench-drift. So results are kept by (D of the merge pass, n, m, ties): windows of equal sizes take the same few
     * hundred values of D. The merge pass's D tells two integral statistics apart while n x m stays far below 2^52
     * (distinct values of D are at least 1 / (n x m) apart, its rounding error a few 1e-16); above this bound no
     * result is kept.
     */
    private static final long MAX_CACHED_PRODUCT = 1L << 32;
    private static final int CACHED_RESULTS = 4096;
    private static final Map<Key, TestResult> RESULTS = Collections.synchronizedMap(
            new LinkedHashMap<>(CACHED_RESULTS, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, TestResult> eldest) {
                    return size() > CACHED_RESULTS;
                }
            });

    private record Key(double statistic, int n, int m, boolean ties) {
    }

    private KolmogorovSmirnov() {
    }

    public static TestResult test(double[] reference, double[] current) {
        double[] sortedReference = reference.clone();
        double[] sortedCurrent = current.clone();
        Arrays.sort(sortedReference);
        Arrays.sort(sortedCurrent);
        return testSorted(sortedReference, sortedCurrent);
    }

    /**
     * {@link #test} of two <em>sorted</em> samples, the same result (Commons Statistics sorts its own copies, and the
     * result depends on the values alone); the reference's sorted sample is cached ({@link NumericSample#sortedSample()}),
     * so ties are found in one merge pass instead of a sort of both samples together.
     */
    public static TestResult testSorted(double[] sortedReference, double[] sortedCurrent) {
        if (sortedReference.length == 0 || sortedCurrent.length == 0) {
            return new TestResult(Double.NaN, Double.NaN);
        }
        boolean ties = hasTies(sortedReference, sortedCurrent);
        int n = sortedReference.length;
        int m = sortedCurrent.length;
        if ((long) n * m > MAX_CACHED_PRODUCT) {
            return commons(sortedReference, sortedCurrent, ties);
        }
        Key key = new Key(statistic(sortedReference, sortedCurrent), n, m, ties);
        TestResult result = RESULTS.get(key);
        if (result == null) {
            result = commons(sortedReference, sortedCurrent, ties);
            RESULTS.put(key, result);
        }
        return result;
    }

    private static TestResult commons(double[] reference, double[] current, boolean ties) {
        KolmogorovSmirnovTest.TwoResult result = (ties ? TIES_TEST : TEST).test(reference, current);
        return new TestResult(result.getStatistic(), result.getPValue());
    }

    /**
     * The D statistic alone, sup |F1 - F2| over the pooled values, from two <em>sorted</em> samples: one merge pass,
     * no p-value. The reference's sorted sample is cached ({@link NumericSample#sortedSample()}), so a window costs one
     * sort of the current sample; Commons Statistics' {@code statistic} sorts copies of both every time.
     */
    public static double statistic(double[] sortedReference, double[] sortedCurrent) {
        int n = sortedReference.length;
        int m = sortedCurrent.length;
        if (n == 0 || m == 0) {
            return Double.NaN;
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n && j < m) {
            double x = Math.min(sortedReference[i], sortedCurrent[j]);
            while (i < n && sortedReference[i] == x) {
                i++;
            }
            while (j < m && sortedCurrent[j] == x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / n - (double) j / m));
        }
        return d;
    }

    /** Whether a value occurs twice in the two sorted samples together. */
    private static boolean hasTies(double[] a, double[] b) {
        if (hasTies(a) || hasTies(b)) {
            return true;
        }
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                return true;
            }
            if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    private static boolean hasTies(double[] sorted) {
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return true;
            }
        }
        return false;
    }
}

package io.streamlearn.drift.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

/** Each statistic against a value computed by hand or published elsewhere. */
class StatisticsReferenceValuesTest {

    @Test
    void theMergePassKsStatisticEqualsCommonsStatisticsDWithAndWithoutTies() {
        Random random = new Random(9);
        for (int round = 0; round < 50; round++) {
            double[] a = new double[20 + random.nextInt(300)];
            double[] b = new double[20 + random.nextInt(300)];
            boolean ties = round % 2 == 0;
            for (int i = 0; i < a.length; i++) {
                a[i] = ties ? random.nextInt(10) : random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = ties ? random.nextInt(12) : 0.3 + random.nextGaussian();
            }
            double expected = KolmogorovSmirnov.test(a, b).statistic();
            Arrays.sort(a);
            Arrays.sort(b);
            assertThat(KolmogorovSmirnov.statistic(a, b)).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void psiOfKnownSharesMatchesTheHandComputedSum() {
        // (0.1-0.25)ln(0.1/0.25) + (0.2-0.25)ln(0.8) + (0.3-0.25)ln(1.2) + (0.4-0.25)ln(1.6)
        double psi = PopulationStabilityIndex.ofShares(new double[] {0.25, 0.25, 0.25, 0.25},
                new double[] {0.1, 0.2, 0.3, 0.4});
        assertThat(psi).isCloseTo(0.228217409573, within(1e-12));
        assertThat(PopulationStabilityIndex.ofShares(new double[] {0.5, 0.5}, new double[] {0.5, 0.5})).isZero();
    }

    @Test
    void psiOfAnEmptyBinUsesTheFloorInsteadOfInfinity() {
        double psi = PopulationStabilityIndex.ofShares(new double[] {0.5, 0.5}, new double[] {1.0, 0.0});
        double expected = 0.5 * Math.log(1.0 / 0.5) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5);
        assertThat(psi).isCloseTo(expected, within(1e-12));
    }

    @Test
    void psiFromSketchesIsNearZeroForTheSameDistributionAndLargeForAShiftedOne() {
        KllDoublesSketch reference = uniform(1, 50_000, 0.0);
        // KLL compaction is randomised (an unseeded Random inside DataSketches): 300 repetitions stayed below 0.012.
        assertThat(PopulationStabilityIndex.between(reference, uniform(2, 50_000, 0.0), 10)).isLessThan(0.03);
        // Current uniform on [0.5, 1.5): reference deciles 6..10 hold 0.1 each, the rest ~0 (floored) and
        // everything above the top cut lands in the last bin: PSI is far beyond the major threshold 0.25.
        assertThat(PopulationStabilityIndex.between(reference, uniform(3, 50_000, 0.5), 10)).isGreaterThan(1.0);
    }

    @Test
    void ksMatchesScipysExactTwoSidedPValue() {
        // scipy.stats.ks_2samp on these samples (mode 'exact'): D = 0.3, p = 0.7869297884777761; the same sample is the
        // documented example of the rv crate's ks_two_sample (docs.rs/rv, misc::ks_two_sample).
        double[] x = {0.95692026, 1.1348812, -0.76579239, -0.58065653, -0.05122393, 0.71598754, 1.39873528,
            0.42790527, 1.84580764, 0.64228521};
        double[] y = {0.6948678, -0.3741825, 0.36657279, 1.15834174, -0.32421706, -0.38499295, 1.44976991,
            0.2504608, -0.53694774, 1.42221993};
        TestResult result = KolmogorovSmirnov.test(x, y);
        assertThat(result.statistic()).isCloseTo(0.3, within(1e-12));
        assertThat(result.pValue()).isCloseTo(0.7869297884777761, within(1e-9));
    }

    @Test
    void ksWithTiesIsDeterministic() {
        double[] x = {1, 1, 2, 2, 3, 3, 4, 4};
        double[] y = {3, 3, 4, 4, 5, 5, 6, 6};
        assertThat(KolmogorovSmirnov.test(x, y)).isEqualTo(KolmogorovSmirnov.test(x, y));
        assertThat(KolmogorovSmirnov.test(x, y).statistic()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void ksOfSortedSamplesIsCommonsStatisticsTestWithTheAsymptoticPExactlyWhenAValueRepeats() {
        Random random = new Random(11);
        for (int round = 0; round < 40; round++) {
            double[] a = new double[30 + random.nextInt(300)];
            double[] b = new double[30 + random.nextInt(300)];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = 0.2 + random.nextGaussian();
            }
            // Rounds 1, 2, 3 mod 4: one value repeated within a, within b, or across both (0.0 and -0.0 among them,
            // equal as numbers); round 0 mod 4: none.
            if (round % 4 == 1) {
                a[a.length - 1] = a[0];
            } else if (round % 4 == 2) {
                b[b.length - 1] = b[0];
            } else if (round % 8 == 3) {
                b[b.length - 1] = a[a.length / 2];
            } else if (round % 8 == 7) {
                a[0] = 0.0;
                b[b.length - 1] = -0.0;
            }
            double[] pooled = new double[a.length + b.length];
            System.arraycopy(a, 0, pooled, 0, a.length);
            System.arraycopy(b, 0, pooled, a.length, b.length);
            boolean ties = Arrays.stream(pooled).distinct().count() < pooled.length
                    || Arrays.stream(pooled).filter(v -> v == 0).count() > 1;
            assertThat(ties).isEqualTo(round % 4 != 0);
            KolmogorovSmirnovTest commons = ties ? KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC)
                    : KolmogorovSmirnovTest.withDefaults();
            KolmogorovSmirnovTest.TwoResult expected = commons.test(a, b);
            double[] sortedA = a.clone();
            double[] sortedB = b.clone();
            Arrays.sort(sortedA);
            Arrays.sort(sortedB);
            assertThat(KolmogorovSmirnov.testSorted(sortedA, sortedB))
                    .isEqualTo(new TestResult(expected.getStatistic(), expected.getPValue()))
                    .isEqualTo(KolmogorovSmirnov.test(a, b));
        }
    }

    @Test
    void ksResultsKeptForEqualStatisticsAreCommonsStatisticsResults() {
        Random random = new Random(12);
        Set<Double> statistics = new HashSet<>();
        int rounds = 400;
        for (int round = 0; round < rounds; round++) {
            boolean ties = round % 2 == 0;
            double[] a = new double[40];
            double[] b = new double[round % 3 == 0 ? 50 : 40];
            double shift = random.nextDouble();
            for (int i = 0; i < a.length; i++) {
                a[i] = ties ? random.nextInt(20) : random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = ties ? random.nextInt(20) + (int) (3 * shift) : shift + random.nextGaussian();
            }
            double[] sortedA = a.clone();
            double[] sortedB = b.clone();
            Arrays.sort(sortedA);
            Arrays.sort(sortedB);
            KolmogorovSmirnovTest commons = ties ? KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC)
                    : KolmogorovSmirnovTest.withDefaults();
            KolmogorovSmirnovTest.TwoResult expected = commons.test(a, b);
            assertThat(KolmogorovSmirnov.testSorted(sortedA, sortedB))
                    .isEqualTo(new TestResult(expected.getStatistic(), expected.getPValue()));
            statistics.add(expected.getStatistic());
        }
        assertThat(statistics).as("most results come from the kept ones").hasSizeLessThan(rounds / 4);
    }

    @Test
    void chiSquareOfATwoByTwoTableMatchesTheHandComputedValue() {
        // Rows (10, 20) and (30, 40): expected 12, 18, 28, 42; chi2 = 4/12 + 4/18 + 4/28 + 4/42 = 0.793651, df = 1,
        // p = erfc(sqrt(chi2 / 2)) = 0.372998 (df = 1 identity; scipy chi2_contingency(correction=False) agrees).
        TestResult result = ChiSquareHomogeneity.test(Map.of("a", 10L, "b", 20L), Map.of("a", 30L, "b", 40L));
        assertThat(result.statistic()).isCloseTo(0.7936507936507936, within(1e-12));
        assertThat(result.pValue()).isCloseTo(0.37299848361348714, within(1e-9));
    }

    @Test
    void chiSquareIsZeroForEqualRowsAndTinyForANewCategory() {
        TestResult same = ChiSquareHomogeneity.test(Map.of("a", 50L, "b", 50L, "c", 50L),
                Map.of("a", 50L, "b", 50L, "c", 50L));
        assertThat(same.statistic()).isZero();
        assertThat(same.pValue()).isCloseTo(1.0, within(1e-12));
        TestResult unseenCategory = ChiSquareHomogeneity.test(Map.of("a", 100L), Map.of("a", 50L, "z", 50L));
        assertThat(unseenCategory.pValue()).isLessThan(1e-10);
    }

    @Test
    void jensenShannonMatchesScipyWithBaseTwo() {
        // scipy.spatial.distance.jensenshannon([.5, .5], [1, 0], base=2) = 0.5579230452...: M = (0.75, 0.25),
        // KL(P||M) = 0.207519, KL(Q||M) = 0.415037, JSD = 0.311278, distance = sqrt(JSD).
        assertThat(JensenShannonDistance.ofWeights(new double[] {1, 1}, new double[] {1, 0}))
                .isCloseTo(0.5579230452, within(1e-9));
        assertThat(JensenShannonDistance.between(Map.of("a", 5L), Map.of("b", 9L))).isCloseTo(1.0, within(1e-12));
        assertThat(JensenShannonDistance.between(Map.of("a", 2L, "b", 6L), Map.of("a", 1L, "b", 3L))).isZero();
    }

    @Test
    void wassersteinIsTheAreaBetweenQuantileFunctions() {
        assertThat(WassersteinDistance.ofQuantiles(new double[] {0, 1, 2, 3}, new double[] {1, 1, 2, 5}))
                .isCloseTo(0.75, within(1e-12));
        // A pure shift by s moves every quantile by s: W1 = s. Uniform on [0, 1) vs [0.3, 1.3): the density is 1, so a
        // rank error e moves a quantile by e; KLL's is ~1.3% at k = 200 (300 repetitions gave 0.293 to 0.311).
        KllDoublesSketch reference = uniform(4, 50_000, 0.0);
        KllDoublesSketch shifted = uniform(5, 50_000, 0.3);
        assertThat(WassersteinDistance.between(reference, shifted, 200)).isCloseTo(0.3, within(0.03));
        assertThat(WassersteinDistance.normed(0.5, 2.0)).isEqualTo(0.25);
    }

    private static KllDoublesSketch uniform(long seed, int n, double offset) {
        Random random = new Random(seed);
        KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(NumericSample.KLL_K);
        for (int i = 0; i < n; i++) {
            sketch.update(offset + random.nextDouble());
        }
        return sketch;
    }
}

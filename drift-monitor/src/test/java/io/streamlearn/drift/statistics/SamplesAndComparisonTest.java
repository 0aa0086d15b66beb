package io.streamlearn.drift.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplesAndComparisonTest {

    private final FeatureComparison comparison = new FeatureComparison(DriftThresholds.DEFAULTS);

    @Test
    void mergedNumericSamplesHaveTheMomentsOfTheWholeStream() {
        Random random = new Random(7);
        NumericSample whole = new NumericSample(100, 1);
        NumericSample a = new NumericSample(50, 2);
        NumericSample b = new NumericSample(50, 3);
        for (int i = 0; i < 1000; i++) {
            double value = 3 + 2 * random.nextGaussian();
            whole.add(value);
            (i < 400 ? a : b).add(value);
        }
        a.addMissing();
        a.merge(b);
        assertThat(a.count()).isEqualTo(1000);
        assertThat(a.missing()).isEqualTo(1);
        assertThat(a.mean()).isCloseTo(whole.mean(), within(1e-9));
        assertThat(a.standardDeviation()).isCloseTo(whole.standardDeviation(), within(1e-9));
        assertThat(a.sample()).hasSize(50);
        assertThat(a.sketch().getN()).isEqualTo(1000);
    }

    /**
     * KLL compactions draw from DataSketches' JVM-wide random: seeded per sample, a sketch depends only on its values,
     * whether it stayed in memory or was serialized part-way (a monitor's task restored elsewhere), and whatever other
     * sketches did in between.
     */
    @Test
    void aSampleRestoredPartWayEndsWithTheSketchOfOneKeptInMemory() throws Exception {
        NumericSample kept = new NumericSample(100, 7);
        NumericSample moved = new NumericSample(100, 7);
        NumericSample other = new NumericSample(100, 8);
        Random values = new Random(3);
        for (int i = 0; i < 50_000; i++) {
            double value = values.nextGaussian();
            kept.add(value);
            moved.add(value);
            other.add(values.nextGaussian());
            if (i == 20_000) {
                moved = roundTrip(moved);
            }
        }
        NumericSample block = new NumericSample(100, 9);
        for (int i = 0; i < 5_000; i++) {
            block.add(values.nextGaussian());
        }
        kept.merge(block);
        moved = roundTrip(moved);
        moved.merge(block);
        assertThat(moved.sketch().toByteArray()).isEqualTo(kept.sketch().toByteArray());
        assertThat(moved.sample()).isEqualTo(kept.sample());
    }

    private static NumericSample roundTrip(NumericSample sample) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sample);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (NumericSample) in.readObject();
        }
    }

    @Test
    void memoryOfASampleIsBoundedWhateverTheStreamLength() {
        NumericSample sample = new NumericSample(256, 1);
        Random random = new Random(1);
        for (int i = 0; i < 1_000_000; i++) {
            sample.add(random.nextGaussian());
        }
        assertThat(sample.sample()).hasSize(256);
        assertThat((long) sample.sketch().toByteArray().length).isLessThanOrEqualTo(NumericSample.maxSketchBytes());
        assertThat(NumericSample.maxSketchBytes()).isLessThan(12_000);
    }

    @Test
    void nominalSampleLumpsCategoriesBeyondItsCapacity() {
        NominalSample sample = new NominalSample(3);
        for (String category : new String[] {"a", "b", "c", "d", "a"}) {
            sample.add(category);
        }
        assertThat(sample.counts()).containsEntry("a", 2L).containsEntry("b", 1L)
                .containsEntry(NominalSample.OTHER, 2L).hasSize(3);
    }

    @Test
    void sameDistributionDoesNotDriftAndAShiftedOneDriftsWithPsiEvidence() {
        NumericSample reference = normal(11, 1000, 0, 1);
        FeatureDrift same = comparison.compare("x", reference, normal(12, 1000, 0, 1), 10);
        assertThat(same.distributionDrifts()).isFalse();
        assertThat(same.severity()).isEqualTo("none");

        FeatureDrift shifted = comparison.compare("x", reference, normal(13, 1000, 1, 1), 10);
        assertThat(shifted.distributionDrifts()).isTrue();
        assertThat(shifted.evidence().orElseThrow().name()).isEqualTo("psi");
        assertThat(shifted.evidence().orElseThrow().pValue()).isLessThan(0.005);
        assertThat(shifted.severity()).isEqualTo("major");
        assertThat(shifted.missingRateDrifts()).isFalse();
    }

    @Test
    void aChangeOfCategoryFrequenciesDriftsWithJensenShannonEvidence() {
        NominalSample reference = nominal(21, 2000, 0.5);
        assertThat(comparison.compare("c", reference, nominal(22, 1000, 0.5), 10).distributionDrifts()).isFalse();
        FeatureDrift drift = comparison.compare("c", reference, nominal(23, 1000, 0.9), 10);
        assertThat(drift.evidence().orElseThrow().name()).isEqualTo("jensen_shannon");
    }

    @Test
    void aRisingMissingRateIsItsOwnSignal() {
        NumericSample reference = normal(31, 1000, 0, 1);
        NumericSample current = normal(32, 800, 0, 1);
        for (int i = 0; i < 200; i++) {
            current.addMissing();
        }
        FeatureDrift drift = comparison.compare("x", reference, current, 1);
        assertThat(drift.distributionDrifts()).isFalse();
        assertThat(drift.missing().orElseThrow().value()).isCloseTo(0.2, within(1e-12));
    }

    private static NumericSample normal(long seed, int n, double mean, double sd) {
        Random random = new Random(seed);
        NumericSample sample = new NumericSample(1000, seed);
        for (int i = 0; i < n; i++) {
            sample.add(mean + sd * random.nextGaussian());
        }
        return sample;
    }

    private static NominalSample nominal(long seed, int n, double shareOfA) {
        Random random = new Random(seed);
        NominalSample sample = new NominalSample(16);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            sample.add(u < shareOfA ? "a" : u < shareOfA + (1 - shareOfA) / 2 ? "b" : "c");
        }
        return sample;
    }
}

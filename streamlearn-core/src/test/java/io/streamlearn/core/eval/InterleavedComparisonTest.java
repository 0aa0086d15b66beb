package io.streamlearn.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.MoaReference;
import io.streamlearn.core.data.AnomalyInjection;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.learn.LearnerFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterleavedComparisonTest {

    @TempDir
    Path tempDir;

    @Test
    void eachLearnerScoresAsMoasOwnPrequentialTaskWhenComparedSideBySide() throws Exception {
        Dataset electricity = Dataset.read(BundledDatasets.electricityArff(), "electricity", null);
        MoaReference.Score moa = MoaReference.prequential(BundledDatasets.electricityArff(), "trees.HoeffdingTree",
                tempDir);

        List<InterleavedComparison.Result> results = InterleavedComparison.run(electricity,
                List.of("trees.HoeffdingTree", "functions.Perceptron"), 1000, 20);

        assertThat(results).extracting(InterleavedComparison.Result::learner)
                .containsExactly("trees.HoeffdingTree", "functions.Perceptron");
        assertThat(results.get(0).evaluation().correct()).isEqualTo(moa.correct());
        assertThat(results.get(0).evaluation().instances()).isEqualTo(45_312);
        assertThat(results.get(1).evaluation().instances()).isEqualTo(45_312);
        assertThat(results.get(0).curve()).hasSize(21);
        assertThat(results.get(0).curve().get(20).value()).isEqualTo(results.get(0).evaluation().accuracy());
    }

    @Test
    void halfSpaceTreesFindAnomaliesInjectedIntoElectricity() throws Exception {
        Dataset electricity = Dataset.read(BundledDatasets.electricityArff(), "electricity", null)
                .drop(List.of("day", "date")).limit(10_000);
        Dataset injected = AnomalyInjection.inject(electricity, AnomalyInjection.DEFAULT_RATE);
        long anomalies = injected.rows().stream().map(LabeledRow::label).filter("anomaly"::equals).count();
        assertThat(anomalies).isBetween(60L, 120L);

        InterleavedComparison.Result hsTrees = InterleavedComparison.run(injected,
                List.of(LearnerFactory.DEFAULT_ANOMALY_SPEC), 10_000, 10).get(0);

        assertThat(hsTrees.evaluation().rocAuc()).as("ROC-AUC over the labelled window").isGreaterThan(0.8);
        assertThat(hsTrees.evaluation().alerts()).isPositive();
    }
}

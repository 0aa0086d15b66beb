package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.batch.RetrainException.Reason;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.Task;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrainFailureTest {

    private static final LabeledWindow WINDOW = SyntheticWindows.binary(400, 11, 0);

    @Test
    void windowWithoutLabelsFails() {
        double[] none = new double[WINDOW.size()];
        Arrays.fill(none, Double.NaN);

        assertFails(withLabels(none), SyntheticWindows.quick(), Reason.NO_LABELS, "none of the 400 rows");
    }

    @Test
    void windowWithOneClassFails() {
        assertFails(withLabels(new double[WINDOW.size()]), SyntheticWindows.quick(), Reason.ONE_CLASS,
                "same class 'no'");
    }

    @Test
    void windowWithTooFewRowsFails() {
        assertFails(WINDOW, SyntheticWindows.quick().withLimits(1000, 50_000_000L), Reason.TOO_FEW_ROWS,
                "fewer than retrain.min-rows=1000");
    }

    @Test
    void windowAboveTheCellGuardFailsBeforeTraining() {
        // 400 rows × 7 columns after one-hot encoding of color
        assertFails(WINDOW, SyntheticWindows.quick().withLimits(50, 2000), Reason.TOO_LARGE, "2800 cells");
    }

    @Test
    void labelOutsideTheClassesFails() {
        double[] labels = WINDOW.labels().clone();
        labels[5] = 7;

        assertFails(withLabels(labels), SyntheticWindows.quick(), Reason.BAD_DATA, "row 5 has label 7.0");
    }

    @Test
    void rowsThatDoNotFitTheSchemaAreRefused() {
        assertThatThrownBy(() -> new LabeledWindow(WINDOW.schema(), List.of(new double[2]), new double[1],
                new long[1]))
                .isInstanceOfSatisfying(RetrainException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_DATA))
                .hasMessageContaining("declares 5");
    }

    /** Its labels only evaluate a clusterer: a challenger trained on them would serve classes in place of clusters. */
    @Test
    void aClusterModelIsNotRetrained() {
        FeatureSchema labelled = WINDOW.schema();
        FeatureSchema clusters = new FeatureSchema(labelled.model(), labelled.target(), labelled.features(),
                labelled.transforms(), Task.CLUSTER);
        LabeledWindow window = new LabeledWindow(clusters, WINDOW.features(), WINDOW.labels(), WINDOW.times());

        assertFails(window, SyntheticWindows.quick(), Reason.UNSUPPORTED_TASK, "clusters (task cluster)");
    }

    /** Holds on every machine: fails with a reason where XGBoost falls back to the CPU, trains on CUDA elsewhere. */
    @Test
    void requiringAGpuFailsWhereXGBoostFallsBackToTheCpu() {
        RetrainSettings settings = SyntheticWindows.quick().withDevice("cuda", true);
        if (DeviceProbe.resolve("cuda").usedGpu()) {
            assertThat(new RetrainPipeline(settings).run(WINDOW, List.of(), TrialListener.none()).device().usedGpu())
                    .isTrue();
        } else {
            assertFails(WINDOW, settings, Reason.GPU_REQUIRED, "retrain.require-gpu");
        }
    }

    private static LabeledWindow withLabels(double[] labels) {
        return new LabeledWindow(WINDOW.schema(), WINDOW.features(), labels, WINDOW.times());
    }

    private static void assertFails(LabeledWindow window, RetrainSettings settings, Reason reason, String message) {
        assertThatThrownBy(() -> new RetrainPipeline(settings).run(window, List.of(), TrialListener.none()))
                .isInstanceOfSatisfying(RetrainException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }
}

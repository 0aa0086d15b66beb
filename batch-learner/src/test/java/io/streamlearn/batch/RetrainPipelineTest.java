package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrainPipelineTest {

    private static final LabeledWindow WINDOW = SyntheticWindows.binary(3000, 7, 0.05);

    @Test
    void sameWindowAndSettingsGiveTheSameModelBytesAndPredictions() {
        RetrainOutcome first = new RetrainPipeline(SyntheticWindows.quick()).run(WINDOW, List.of(), TrialListener.none());
        RetrainOutcome second = new RetrainPipeline(SyntheticWindows.quick()).run(WINDOW, List.of(), TrialListener.none());

        assertThat(second.challenger().snapshot()).isEqualTo(first.challenger().snapshot());
        assertThat(second.bestParams()).isEqualTo(first.bestParams());
        for (int i = 0; i < 50; i++) {
            assertThat(second.challenger().predict(WINDOW.features().get(i)).scores())
                    .containsExactly(first.challenger().predict(WINDOW.features().get(i)).scores());
        }
    }

    @Test
    void promotesAChallengerThatClearlyBeatsTheOnlineModel() {
        OnlineLearner online = LearnerFactory.create("bayes.NaiveBayes", WINDOW.schema());
        for (int i = 0; i < 1800; i++) {
            online.learn(WINDOW.features().get(i), WINDOW.labels()[i]);
        }
        RetrainOutcome outcome = new RetrainPipeline(SyntheticWindows.quick())
                .run(WINDOW, List.of(new Champion("online", null, online)), TrialListener.none());

        assertThat(outcome.gate().promote()).as(outcome.gate().reason()).isTrue();
        Comparison comparison = outcome.gate().comparisons().get(0);
        assertThat(comparison.test()).isEqualTo("mcnemar-exact");
        assertThat(comparison.pValue()).isLessThan(0.05);
        assertThat(outcome.testScores().get(RetrainPipeline.CHALLENGER).accuracy()).isGreaterThan(0.85);
        assertThat(outcome.testScores().get("online").accuracy()).isLessThan(0.7);
        assertThat(outcome.testScores()).containsKey(RetrainPipeline.LINEAR_BASELINE);
        assertThat(outcome.testScores().get(RetrainPipeline.LINEAR_BASELINE).accuracy()).isLessThan(0.75);
    }

    /**
     * A 1-nearest-neighbour online model whose snapshot has learned every row, the test rows too: asked again, it
     * recalls their labels. Its predictions as the rows arrived are the honest measure, and the gate takes those.
     */
    @Test
    void anOnlineChampionIsScoredByThePredictionsItMadeBeforeLearningEachRow() {
        OnlineLearner online = LearnerFactory.create("lazy.kNN -k 1 -w 5000", WINDOW.schema());
        List<Prediction> recorded = new ArrayList<>();
        for (int i = 0; i < WINDOW.size(); i++) {
            recorded.add(online.predict(WINDOW.features().get(i)));
            online.learn(WINDOW.features().get(i), WINDOW.labels()[i]);
        }

        RetrainOutcome restored = new RetrainPipeline(SyntheticWindows.quick())
                .run(WINDOW, List.of(new Champion("online", null, online)), TrialListener.none());
        RetrainOutcome prequential = new RetrainPipeline(SyntheticWindows.quick())
                .run(WINDOW, List.of(new Champion("online", null, online, recorded)), TrialListener.none());

        int testRows = prequential.split().testRows();
        long correct = 0;
        for (int i = WINDOW.size() - testRows; i < WINDOW.size(); i++) {
            correct += recorded.get(i).predictedClass() == (int) WINDOW.labels()[i] ? 1 : 0;
        }
        assertThat(restored.testScores().get("online").accuracy()).as("in-sample").isEqualTo(1.0);
        assertThat(prequential.testScores().get("online").accuracy()).isEqualTo((double) correct / testRows)
                .isLessThan(0.95);
        assertThat(prequential.recordedTestRows()).containsEntry("online", testRows);
        assertThat(restored.recordedTestRows()).containsEntry("online", 0);
        assertThat(prequential.provenance()).containsKey("recordedTestRows");
    }

    @Test
    void refusesAChallengerNoBetterThanTheLastBatchModel() {
        RetrainOutcome last = new RetrainPipeline(SyntheticWindows.quick()).run(WINDOW, List.of(), TrialListener.none());
        ModelSnapshot published = last.snapshot(1_700_000_000_000L, Map.of(), 0);
        Champion batch = new Champion("batch", published.metadata(), published.restoreLearner());

        RetrainOutcome outcome = new RetrainPipeline(SyntheticWindows.quick()).run(WINDOW, List.of(batch),
                TrialListener.none());

        assertThat(outcome.gate().promote()).isFalse();
        assertThat(outcome.gate().comparisons().get(0).improvement()).isZero();
        assertThat(outcome.gate().pValue()).isEqualTo(1.0);
    }

    @Test
    void reportsEachTrialAsItFinishesWithSuccessiveHalvingRungs() {
        List<Trial> seen = new ArrayList<>();
        RetrainSettings settings = SyntheticWindows.quick().withSearch(9, 90, 2);
        RetrainOutcome outcome = new RetrainPipeline(settings).run(WINDOW, List.of(), seen::add);

        assertThat(seen).isEqualTo(outcome.trials());
        assertThat(seen.stream().filter(t -> t.rung() == 0)).hasSize(9);
        assertThat(seen.stream().filter(t -> t.rung() == 1)).hasSize(3);
        assertThat(seen.stream().filter(t -> t.rung() == 2)).hasSize(1);
        assertThat(seen.stream().filter(t -> t.rung() == 2).findFirst().orElseThrow().roundBudget()).isEqualTo(90);
        assertThat(seen.get(0).curve()).isNotEmpty().hasSizeLessThanOrEqualTo(seen.get(0).roundBudget());
        assertThat(outcome.crossValidation().folds()).hasSize(2);
        assertThat(outcome.crossValidation().metric()).isEqualTo("error");
        assertThat(outcome.device().used()).isEqualTo("cpu");
        assertThat(seen).extracting(Trial::device).containsOnly("cpu");
        assertThat(outcome.device().fits()).as("every trial, every fold and the challenger, each read from its booster")
                .containsExactly(Map.entry("cpu", seen.size() + outcome.crossValidation().folds().size() + 1));
    }

    /**
     * Holds on every machine: a run asked for CUDA records the device each fit's booster names, all the kind the
     * probe found, and the challenger's in {@code used}; the CPU-only library (default build) trains all on the CPU.
     */
    @Test
    void aRunAskedForCudaRecordsWhereEveryFitReallyTrained() {
        RetrainOutcome outcome = new RetrainPipeline(SyntheticWindows.quick().withDevice("cuda", false))
                .run(WINDOW, List.of(), TrialListener.none());

        String probed = DeviceProbe.resolve("cuda").used();
        assertThat(outcome.device().requested()).isEqualTo("cuda");
        assertThat(outcome.device().used()).isEqualTo(probed);
        assertThat(outcome.device().evidence()).startsWith("XGBoost's configuration of the challenger's booster: device=");
        assertThat(outcome.device().fits().keySet()).allMatch(device -> BoosterConfig.kind(device).equals(probed));
        assertThat(outcome.device().fits().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(outcome.trials().size() + outcome.crossValidation().folds().size() + 1);
        if (!DeviceProbeTest.cudaBuildOnClasspath()) {
            assertThat(outcome.device().fits()).containsOnlyKeys("cpu");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> recorded = (Map<String, Object>) outcome.provenance().get("device");
        assertThat(recorded).containsEntry("used", probed).containsKey("fits");
    }

    @Test
    void snapshotRoundTripsThroughTheCodecAndLearnerFactoryWithProvenance() {
        RetrainOutcome outcome = new RetrainPipeline(SyntheticWindows.quick()).run(WINDOW, List.of(), TrialListener.none());
        ModelSnapshot snapshot = outcome.snapshot(1_764_000_000_000L, Map.of("events-0", 3000L),
                Map.of("trigger", "alert-1", "runId", "r1"), 1_764_000_000_000L);

        ModelSnapshot decoded = ModelSnapshotCodec.decode(ModelSnapshotCodec.encode(snapshot));
        OnlineLearner restored = LearnerFactory.restore(decoded.metadata().learnerSpec(), decoded.metadata().schema(),
                decoded.learnerState());

        ModelMetadata metadata = decoded.metadata();
        assertThat(metadata.origin()).isEqualTo(ModelMetadata.BATCH);
        assertThat(metadata.learnerSpec()).startsWith("xgboost hist ").contains("rounds=");
        assertThat(metadata.inputOffsets()).containsEntry("events-0", 3000L);
        assertThat(metadata.provenance()).containsEntry("trigger", "alert-1")
                .containsKeys("params", "split", "testScores", "gate", "device", "durations", "globalImportance",
                        "crossValidation", "libraries");
        assertThat(metadata.evaluation().accuracy()).isEqualTo(outcome.testScores().get("challenger").accuracy());
        for (int i = 0; i < 200; i++) {
            Prediction expected = outcome.challenger().predict(WINDOW.features().get(i));
            assertThat(restored.predict(WINDOW.features().get(i)).scores()).containsExactly(expected.scores());
        }
    }

    @Test
    void globalImportanceRanksTheInteractingFeaturesFirst() {
        RetrainOutcome outcome = new RetrainPipeline(SyntheticWindows.quick()).run(WINDOW, List.of(), TrialListener.none());

        List<String> ranked = List.copyOf(outcome.globalImportance().keySet());
        assertThat(ranked.subList(0, 2)).containsExactlyInAnyOrder("x0", "x1");
        assertThat(outcome.globalImportance().get("x3")).isLessThan(outcome.globalImportance().get("x0") / 5);
    }

    @Test
    void trainsAndGatesRegressionWithTheWilcoxonTest() {
        LabeledWindow window = SyntheticWindows.regression(2000, 3);
        OnlineLearner online = LearnerFactory.create("functions.SGD", window.schema());
        RetrainOutcome outcome = new RetrainPipeline(SyntheticWindows.quick())
                .run(window, List.of(new Champion("online", null, online)), TrialListener.none());

        Comparison comparison = outcome.gate().comparisons().get(0);
        assertThat(comparison.test()).isEqualTo("wilcoxon-signed-rank");
        assertThat(outcome.gate().promote()).as(outcome.gate().reason()).isTrue();
        assertThat(outcome.testScores().get("challenger").mae())
                .isLessThan(outcome.testScores().get(RetrainPipeline.LINEAR_BASELINE).mae());
        assertThat(outcome.crossValidation().metric()).isEqualTo("mae");
    }

    @Test
    void trainsSeveralClasses() {
        LabeledWindow window = SyntheticWindows.multiclass(2000, 5);
        RetrainOutcome outcome = new RetrainPipeline(SyntheticWindows.quick()).run(window, List.of(), TrialListener.none());

        assertThat(outcome.bestParams()).containsEntry("objective", "multi:softprob").containsEntry("num_class", 3);
        assertThat(outcome.testScores().get("challenger").accuracy()).isGreaterThan(0.9);
        assertThat(outcome.challenger().predict(window.features().get(0)).scores()).hasSize(3);
    }
}

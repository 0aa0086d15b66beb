package io.streamlearn.retrain.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.retrain.RetrainFixtures;
import io.streamlearn.retrain.window.DataVersion;
import io.streamlearn.retrain.window.OffsetRange;
import io.streamlearn.retrain.window.TrainingWindow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The run's life with in-memory ports: what is recorded, what is published, and when nothing is. */
class RunExecutorTest {

    private static final DataVersion VERSION = new DataVersion(List.of(new OffsetRange("events", 0, 5, 105)),
            List.of(new OffsetRange("labels", 0, 0, 40)), "abc");
    private static final TrainingWindow WINDOW = new TrainingWindow(RetrainFixtures.SCHEMA,
            new double[][] {{1, 2}}, new double[] {1}, new long[] {7}, VERSION, 0, 0, false,
            List.of(new TrainingReference.Row(0, 5, 7, Map.of("x1", 1.0, "x2", 2.0))), Collections.nCopies(1, null));

    private final List<TrainingRun> recorded = new ArrayList<>();
    private final List<ModelSnapshot> published = new ArrayList<>();
    private final List<Optional<TrainingReference>> references = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);

    private RunExecutor executor(ChallengerTrainer trainer, Champions champions, boolean promote) {
        return new RunExecutor((model, schema, trigger) -> WINDOW, model -> champions, trainer, recorded::add,
                (snapshot, run, reference) -> {
                    published.add(snapshot);
                    recorded.add(run);
                    references.add(reference);
                }, promote, 5_000, () -> clock.getAndAdd(10), RunObserver.NONE);
    }

    private static TrainingResult result(boolean promote) {
        ModelSnapshot online = RetrainFixtures.onlineSnapshot();
        ModelMetadata m = online.metadata();
        ModelSnapshot challenger = new ModelSnapshot(new ModelMetadata(m.model(), 0, "xgboost", m.schema(), Map.of(), 1,
                1, null, 0, m.formatVersion(), ModelMetadata.BATCH, Map.of("params", Map.of("eta", 0.1))),
                new byte[] {1, 2, 3});
        return new TrainingResult(promote, promote ? "better" : "not better", "cpu", challenger,
                Map.of("gate", Map.of("promote", promote)), "accuracy", 0.9, Map.of("online", 0.5));
    }

    private static List<RetrainRequest> trigger() {
        return List.of(new RetrainRequest("sign", "drift", 0, 5L, 7L, 9L,
                List.of(Map.of("kind", "feature", "feature", "x1"))));
    }

    @Test
    void aWinnerIsPublishedWithTheRunsProvenanceUnderAVersionAboveThePreviousBatchOne() {
        Champions champions = new Champions(RetrainFixtures.onlineSnapshot(), batchVersion(5_000));
        TrainingRun run = executor((w, c, t) -> result(true), champions, true).execute("sign-1", "sign", trigger());

        assertThat(run.status()).isEqualTo(RunStatus.PROMOTED);
        assertThat(run.promotedVersion()).as("above the previous batch version although the clock is behind it")
                .isEqualTo(5_001);
        assertThat(recorded).extracting(TrainingRun::status).containsExactly(RunStatus.RUNNING, RunStatus.RUNNING,
                RunStatus.PROMOTED);
        ModelMetadata metadata = published.get(0).metadata();
        assertThat(metadata.version()).isEqualTo(5_001);
        assertThat(metadata.isBatch()).isTrue();
        assertThat(metadata.provenance()).containsEntry("runId", "sign-1").containsEntry("dataVersion", VERSION)
                .containsEntry("schemaVersion", "abc").containsEntry("device", "cpu").containsKey("params");
        assertThat(metadata.provenance().get("trigger").toString()).contains("x1", "drift");
    }

    @Test
    void aLoserIsRecordedRejectedAndPublishesNothing() {
        TrainingRun run = executor((w, c, t) -> result(false), new Champions(RetrainFixtures.onlineSnapshot(), null),
                true).execute("sign-2", "sign", trigger());
        assertThat(run.status()).isEqualTo(RunStatus.REJECTED);
        assertThat(run.reason()).isEqualTo("not better");
        assertThat(published).isEmpty();
    }

    @Test
    void aWinnerWithPromotionOffSucceedsWithoutPublishing() {
        TrainingRun run = executor((w, c, t) -> result(true), new Champions(RetrainFixtures.onlineSnapshot(), null),
                false).execute("sign-3", "sign", trigger());
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(published).isEmpty();
    }

    @Test
    void aTrainerFailureOrAMissingModelIsRecordedFailedWithItsReason() {
        TrainingRun failed = executor((w, c, t) -> {
            throw new TrainingFailedException("one_class", "every label is 'pos'");
        }, new Champions(RetrainFixtures.onlineSnapshot(), null), true).execute("sign-4", "sign", trigger());
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.reason()).isEqualTo("one_class: every label is 'pos'");
        assertThat(failed.dataVersion()).isEqualTo(VERSION);

        TrainingRun noModel = executor((w, c, t) -> result(true), new Champions(null, null), true)
                .execute("sign-5", "sign", trigger());
        assertThat(noModel.reason()).startsWith("no_model");
        assertThat(published).isEmpty();
        assertThat(recorded.get(recorded.size() - 1).status().isFinal()).isTrue();
    }

    @Test
    void trialsAreRecordedAsTheyFinish() {
        executor((w, c, t) -> {
            t.accept(Map.of("number", 0, "curve", List.of(0.6, 0.5)));
            t.accept(Map.of("number", 1, "curve", List.of(0.7, 0.4)));
            return result(false);
        }, new Champions(RetrainFixtures.onlineSnapshot(), null), true).execute("sign-6", "sign", trigger());
        assertThat(recorded).extracting(run -> run.trials().size()).containsExactly(0, 0, 1, 2, 2);
    }

    @Test
    void aWinnerPublishesTheNewestRowsOfItsTrainSplitAsTheDriftReference() {
        // Ten rows at times 100..109; the trainer learned from the first 7 (to time 106); 5 rows are published.
        List<TrainingReference.Row> sources = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sources.add(i == 5 ? null : new TrainingReference.Row(0, 50 + i, 100 + i, Map.of("x1", (double) i)));
        }
        TrainingWindow window = new TrainingWindow(RetrainFixtures.SCHEMA, new double[10][2], new double[10],
                java.util.stream.LongStream.range(100, 110).toArray(), VERSION, 0, 0, false, sources,
                Collections.nCopies(10, null));
        Champions champions = new Champions(RetrainFixtures.onlineSnapshot(), null);

        TrainingRun run = new RunExecutor((model, schema, trigger) -> window, model -> champions,
                (w, c, t) -> resultWithSplit(7, 106), recorded::add, (snapshot, promoted, reference) -> {
                    published.add(snapshot);
                    references.add(reference);
                }, true, 5, () -> clock.getAndAdd(10), RunObserver.NONE).execute("sign-7", "sign", trigger());

        TrainingReference reference = references.get(0).orElseThrow();
        assertThat(reference.version()).isEqualTo(run.promotedVersion());
        assertThat(reference.rows()).as("train rows 2..6, the one the monitor would refuse left out")
                .extracting(TrainingReference.Row::offset).containsExactly(51L, 52L, 53L, 54L, 56L);
        assertThat(published.get(0).metadata().provenance().get(TrainingReference.PROVENANCE_KEY))
                .isEqualTo(Map.of("rows", 5, "fromTime", 101L, "toTime", 106L));

        // A split that does not match the window's rows publishes no reference: the monitor falls back.
        new RunExecutor((model, schema, trigger) -> window, model -> champions, (w, c, t) -> resultWithSplit(7, 105),
                recorded::add, (snapshot, promoted, none) -> {
                    published.add(snapshot);
                    references.add(none);
                }, true, 5, () -> clock.getAndAdd(10), RunObserver.NONE).execute("sign-8", "sign", trigger());
        assertThat(references.get(1)).isEmpty();
        assertThat(published.get(1).metadata().provenance()).doesNotContainKey(TrainingReference.PROVENANCE_KEY);
    }

    private static TrainingResult resultWithSplit(int trainRows, long maxTrainTime) {
        TrainingResult plain = result(true);
        return new TrainingResult(true, plain.decision(), plain.device(), plain.challenger(),
                Map.of("split", Map.of("trainRows", trainRows, "maxTrainTime", maxTrainTime)), plain.metric(),
                plain.challengerMetric(), plain.championMetrics());
    }

    private static ModelSnapshot batchVersion(long version) {
        ModelSnapshot online = RetrainFixtures.onlineSnapshot();
        ModelMetadata m = online.metadata();
        return new ModelSnapshot(new ModelMetadata(m.model(), version, m.learnerSpec(), m.schema(), Map.of(), 1, 1,
                null, 0, m.formatVersion(), ModelMetadata.BATCH, Map.of()), online.learnerState());
    }
}

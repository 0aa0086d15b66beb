package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.MoaReference;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The delayed-label oracle: the trainer topology fed Electricity with every label on the {@code labels} topic
 * {@code delay} events after its event must score exactly as MOA's own {@code EvaluatePrequentialDelayed} with
 * {@code -k delay+1 -p 0}. MOA trains on instance i - k just before it tests instance i, so k = 1 is plain
 * prequential; our label arriving after {@code delay} further events is MOA's k = delay + 1.
 */
class DelayedLabelOracleTest {

    private static final String MODEL = "electricity";
    private static final String LEARNER = "trees.HoeffdingTree";
    private static final long START = 1_700_000_000_000L;

    private static Dataset electricity;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void readElectricity() throws Exception {
        electricity = Dataset.read(BundledDatasets.electricityArff(), MODEL, null);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000})
    void labelsArrivingLaterScoreExactlyAsMoasEvaluatePrequentialDelayed(int delay) throws Exception {
        MoaReference.Score moa = MoaReference.prequentialDelayed(BundledDatasets.electricityArff(), LEARNER, delay + 1,
                tempDir);
        Evaluation ours = trainWithDelayedLabels(delay);

        assertThat(moa.instances()).isEqualTo(45_312);
        assertThat(ours.instances()).isEqualTo(moa.instances());
        assertThat(ours.correct()).as("trainer vs MOA EvaluatePrequentialDelayed -k " + (delay + 1))
                .isEqualTo(moa.correct());
    }

    /** Replays as the demo's replayer does: event i, then the label of event i - delay; the rest at the end. */
    private Evaluation trainWithDelayedLabels(int delay) {
        TrainerConfig config = TrainerConfig.of(Map.of("snapshot.interval.ms", "1000",
                "checkpoint.interval.records", "10000"));
        var definition = new ModelDefinition(electricity.schema(), LEARNER);
        try (TopologyTestDriver driver = TrainerTestDriver.start(config, List.of(definition),
                tempDir.resolve("state"), new SimpleMeterRegistry())) {
            TestInputTopic<String, byte[]> events = TrainerTestDriver.input(driver, config.eventsTopic());
            TestInputTopic<String, byte[]> labels = TrainerTestDriver.input(driver, config.labelsTopic());
            EventCodec codec = new EventCodec();
            int rows = electricity.rows().size();
            for (int i = 0; i < rows + delay; i++) {
                if (i < rows) {
                    var row = electricity.rows().get(i);
                    var unlabelled = new LabeledRow(row.features(), null);
                    events.pipeInput(MODEL, codec.encodeEvent("e" + i, START + i, MODEL, unlabelled), START + i);
                }
                int labelled = i - delay;
                if (labelled >= 0) {
                    labels.pipeInput(MODEL, codec.encodeLabel("e" + labelled, MODEL,
                            electricity.rows().get(labelled).label()), START + i);
                }
            }
            driver.advanceWallClockTime(Duration.ofSeconds(2));
            List<TestRecord<String, byte[]>> snapshots = TrainerTestDriver.output(driver, config.modelsTopic())
                    .readRecordsToList();
            ModelMetadata last = ModelSnapshotCodec.decodeMetadata(snapshots.get(snapshots.size() - 1).value());
            assertThat(last.labelsLearned()).isEqualTo(rows);
            return last.evaluation();
        }
    }
}

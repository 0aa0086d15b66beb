package io.streamlearn.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.trainer.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnlineModelTest {

    @Test
    void checkpointPlusJournalReplayEqualsTheUninterruptedModel() {
        List<JournalEntry> journal = journal(3000);
        OnlineModel uninterrupted = OnlineModel.fresh(TestModels.definition("trees.HoeffdingTree -g 50"), 500);
        OnlineModel beforeCrash = OnlineModel.fresh(TestModels.definition("trees.HoeffdingTree -g 50"), 500);
        byte[] checkpoint = null;
        for (JournalEntry entry : journal) {
            uninterrupted.apply(entry);
            if (entry.sequence() <= 2000) {
                beforeCrash.apply(entry);
            }
            if (entry.sequence() == 1700) {
                checkpoint = beforeCrash.checkpoint();
            }
        }
        OnlineModel recovered = OnlineModel.restore(TestModels.definition("trees.HoeffdingTree -g 50"), checkpoint);
        assertThat(recovered.nextSequence()).isEqualTo(1701);
        journal.stream().filter(e -> e.sequence() > 1700).forEach(recovered::apply);

        assertThat(recovered.checkpoint()).isEqualTo(uninterrupted.checkpoint());
        assertThat(recovered.evaluation()).isEqualTo(uninterrupted.evaluation());
        assertThat(recovered.eventsSeen()).isEqualTo(3000);
    }

    @Test
    void delayedLabelsAreScoredWithThePredictionServedForTheirEvent() {
        OnlineModel model = OnlineModel.fresh(TestModels.definition("bayes.NaiveBayes"), 100);
        var prediction = model.apply(new JournalEntry(1, JournalEntry.Kind.EVENT, 0, 0, new double[] {1, 0},
                Double.NaN, null));
        assertThat(model.labelsLearned()).isZero();
        model.apply(new JournalEntry(2, JournalEntry.Kind.DELAYED_LABEL, 0, 5, new double[] {1, 0}, 0, prediction));
        assertThat(model.labelsLearned()).isEqualTo(1);
        assertThat(model.evaluation().instances()).isEqualTo(1);
        assertThat(model.eventsSeen()).isEqualTo(1);
    }

    @Test
    void refusesAJournalEntryOutOfSequence() {
        OnlineModel model = OnlineModel.fresh(TestModels.definition("bayes.NaiveBayes"), 100);
        JournalEntry skipped = new JournalEntry(2, JournalEntry.Kind.EVENT, 0, 0, new double[] {1, 0}, 0, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.apply(skipped))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void journalEntriesSurviveTheirBinaryForm() {
        JournalEntry entry = new JournalEntry(7, JournalEntry.Kind.DELAYED_LABEL, 3, 99, new double[] {1.5, Double.NaN},
                1, new io.streamlearn.core.learn.Prediction(0, new double[] {0.75, 0.25}));
        JournalEntry decoded = JournalEntry.decode(entry.encode());
        assertThat(decoded.sequence()).isEqualTo(7);
        assertThat(decoded.sourcePartition()).isEqualTo(3);
        assertThat(decoded.sourceOffset()).isEqualTo(99);
        assertThat(decoded.features()).containsExactly(1.5, Double.NaN);
        assertThat(decoded.earlierPrediction().scores()).containsExactly(0.75, 0.25);
    }

    private static List<JournalEntry> journal(int size) {
        Random random = new Random(42);
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            double x = random.nextGaussian();
            double color = random.nextInt(2);
            entries.add(new JournalEntry(i, JournalEntry.Kind.EVENT, 0, i - 1, new double[] {x, color},
                    x + 0.3 * color > 0.2 ? 0 : 1, null));
        }
        return entries;
    }
}

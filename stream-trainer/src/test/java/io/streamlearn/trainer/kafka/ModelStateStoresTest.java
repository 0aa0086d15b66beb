package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.trainer.ModelDefinition;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Recovery from the checkpoint and journal stores alone, at every kind of point: mid-block, block edge, ring wrap. */
class ModelStateStoresTest {

    private static final ModelDefinition DEFINITION = TestModels.definition("trees.HoeffdingTree -g 30");

    @Test
    void aModelReloadedAtAnyPointContinuesExactlyAsTheUninterruptedOne() {
        // Small chunks, so every checkpoint spans several chunk records; published markers between steps.
        BlobChunking chunking = new BlobChunking(1024, 1L << 20);
        MockProcessorContext<String, TrainerOutput> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> checkpoints = store("checkpoints", context);
        KeyValueStore<String, byte[]> journal = store("journal", context);
        int capacity = 200;
        Random random = new Random(7);

        OnlineModel reference = OnlineModel.fresh(DEFINITION, 100);
        ModelStateStores stores = new ModelStateStores(checkpoints, journal, capacity, 100, 0.999, chunking);
        OnlineModel live = stores.load(DEFINITION);
        long lastCheckpoint = 0;
        for (int step = 1; step <= 3000; step++) {
            JournalEntry entry = random.nextInt(50) == 0 ? JournalEntry.published(step) : entry(step, random);
            reference.apply(entry);
            stores.append(DEFINITION.name(), entry);
            live.apply(entry);
            if (stores.checkpointDue(live, lastCheckpoint)) {
                stores.checkpoint(live, lastCheckpoint);
                lastCheckpoint = live.appliedSequence();
            }
            assertThat(count(journal)).as("journal blocks at step %d", step)
                    .isLessThanOrEqualTo((step - lastCheckpoint) / ModelStateStores.BLOCK + 2);
            boolean crash = step % 64 == 0 || step % 64 == 1 || random.nextInt(97) == 0;
            if (crash) {
                stores = new ModelStateStores(checkpoints, journal, capacity, 100, 0.999, chunking);
                live = stores.load(DEFINITION);
                assertThat(live.appliedSequence()).as("recovered at step %d", step).isEqualTo(step);
                assertThat(live.checkpoint()).as("state at step %d", step).isEqualTo(reference.checkpoint());
                assertThat(live.version()).isEqualTo(reference.version());
            }
        }
        assertThat(live.evaluation()).isEqualTo(reference.evaluation());
        assertThat(reference.version()).isPositive();
        assertThat(count(checkpoints)).as("manifest and chunks").isGreaterThan(2);
    }

    private static long count(KeyValueStore<String, byte[]> store) {
        try (var all = store.all()) {
            long count = 0;
            while (all.hasNext()) {
                all.next();
                count++;
            }
            return count;
        }
    }

    private static JournalEntry entry(long sequence, Random random) {
        double x = random.nextGaussian();
        return new JournalEntry(sequence, JournalEntry.Kind.EVENT, 0, sequence - 1,
                new double[] {x, random.nextInt(2)}, x > 0 ? 0 : 1, null);
    }

    private static KeyValueStore<String, byte[]> store(String name, MockProcessorContext<String, TrainerOutput> context) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}

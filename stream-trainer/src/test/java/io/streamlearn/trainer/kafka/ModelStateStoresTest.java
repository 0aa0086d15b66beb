package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
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
        OnlineModel live = stores.load(DEFINITION).model();
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
            // Blocks: a block's first page is under the block's own key, its further pages under key/page.
            assertThat(firstPages(journal)).as("journal blocks at step %d", step)
                    .isLessThanOrEqualTo((step - lastCheckpoint) / ModelStateStores.BLOCK + 2);
            boolean crash = step % 64 == 0 || step % 64 == 1 || random.nextInt(97) == 0;
            if (crash) {
                stores = new ModelStateStores(checkpoints, journal, capacity, 100, 0.999, chunking);
                live = stores.load(DEFINITION).model();
                assertThat(live.appliedSequence()).as("recovered at step %d", step).isEqualTo(step);
                assertThat(live.checkpoint()).as("state at step %d", step).isEqualTo(reference.checkpoint());
                assertThat(live.version()).isEqualTo(reference.version());
            }
        }
        assertThat(live.evaluation()).isEqualTo(reference.evaluation());
        assertThat(reference.version()).isPositive();
        assertThat(count(checkpoints)).as("manifest and chunks").isGreaterThan(2);
    }

    /**
     * Steps of 600 dense features (about 4.8 KB each): a block of 64 is ~300 KB, more than one page of the 16 KiB
     * chunk size used here, so it is paged; no journal value passes the chunk size, and a model reloaded at any point
     * (mid-page, page edge, block edge) continues exactly as the uninterrupted one.
     */
    @Test
    void wideStepsArePagedWithinTheChunkSizeAndReloadExactly() {
        List<FeatureSpec> features = new ArrayList<>();
        for (int f = 0; f < 600; f++) {
            features.add(FeatureSpec.numeric("f" + f));
        }
        ModelDefinition wide = new ModelDefinition(new FeatureSchema("wide", FeatureSpec.nominal("y",
                List.of("a", "b")), features), "bayes.NaiveBayes");
        int pageLimit = 16 * 1024;
        BlobChunking chunking = new BlobChunking(pageLimit, 1L << 24);
        MockProcessorContext<String, TrainerOutput> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> checkpoints = store("checkpoints", context);
        KeyValueStore<String, byte[]> journal = store("journal", context);
        int capacity = 150;
        Random random = new Random(11);

        OnlineModel reference = OnlineModel.fresh(wide, 100);
        ModelStateStores stores = new ModelStateStores(checkpoints, journal, capacity, 100, 0.999, chunking);
        OnlineModel live = stores.load(wide).model();
        long lastCheckpoint = 0;
        for (int step = 1; step <= 500; step++) {
            double[] values = new double[600];
            for (int f = 0; f < values.length; f++) {
                values[f] = random.nextGaussian();
            }
            JournalEntry entry = new JournalEntry(step, JournalEntry.Kind.EVENT, 0, step - 1, values,
                    values[0] > 0 ? 0 : 1, null);
            reference.apply(entry);
            stores.append(wide.name(), entry);
            live.apply(entry);
            if (stores.checkpointDue(live, lastCheckpoint)) {
                stores.checkpoint(live, lastCheckpoint);
                lastCheckpoint = live.appliedSequence();
            }
            assertThat(largestValue(journal)).as("largest journal value at step %d", step)
                    .isLessThanOrEqualTo(pageLimit);
            if (step % 64 == 0 || step % 64 == 1 || step % 3 == 0 || random.nextInt(13) == 0) {
                stores = new ModelStateStores(checkpoints, journal, capacity, 100, 0.999, chunking);
                live = stores.load(wide).model();
                assertThat(live.appliedSequence()).as("recovered at step %d", step).isEqualTo(step);
                assertThat(live.checkpoint()).as("state at step %d", step).isEqualTo(reference.checkpoint());
            }
        }
        assertThat(live.evaluation()).isEqualTo(reference.evaluation());
        assertThat(count(journal)).as("pages").isGreaterThan((500 - lastCheckpoint) / ModelStateStores.BLOCK + 2);
    }

    private static long firstPages(KeyValueStore<String, byte[]> store) {
        try (var all = store.all()) {
            long count = 0;
            while (all.hasNext()) {
                if (all.next().key.chars().filter(c -> c == '/').count() == 1) {
                    count++;
                }
            }
            return count;
        }
    }

    private static long largestValue(KeyValueStore<String, byte[]> store) {
        long largest = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                largest = Math.max(largest, all.next().value.length);
            }
        }
        return largest;
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

package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    private static final OnlineLearner LEARNER = TestModels.linearLearner();
    /** Batch versions are numbered by their promotion time in epoch milliseconds. */
    private static final long PROMOTED_AT = 1_764_000_000_000L;

    private final ModelRegistry registry = new ModelRegistry();

    @Test
    void servesTheFirstVersionOfAModel() {
        assertThat(registry.offer(version("linear", 3))).isTrue();

        assertThat(registry.find("linear")).map(ServedModel::version).contains(3L);
        assertThat(registry.isEmpty()).isFalse();
    }

    /** A model deleted from the definitions topic: not served, its snapshots refused, until defined again. */
    @Test
    void aRetiredModelIsNotServedNorTakenUntilReinstated() {
        registry.offer(version("linear", 3));
        registry.offer(version("other", 1));

        registry.retire("linear");
        assertThat(registry.find("linear")).isEmpty();
        assertThat(registry.wouldServe("linear", 4)).isFalse();
        assertThat(registry.offer(version("linear", 4))).isFalse();
        assertThat(registry.all()).extracting(ServedModel::name).containsExactly("other");

        registry.reinstate("linear");
        assertThat(registry.offer(version("linear", 5))).isTrue();
        assertThat(registry.find("linear")).map(ServedModel::version).contains(5L);
    }

    @Test
    void newerVersionReplacesTheServedOne() {
        registry.offer(version("linear", 1));

        assertThat(registry.offer(version("linear", 2))).isTrue();
        assertThat(registry.find("linear")).map(ServedModel::version).contains(2L);
    }

    @Test
    void olderOrEqualVersionNeverReplacesTheServedOne() {
        ServedModel served = version("linear", 5);
        registry.offer(served);

        assertThat(registry.offer(version("linear", 4))).isFalse();
        assertThat(registry.offer(version("linear", 5))).isFalse();
        assertThat(registry.find("linear")).containsSame(served);
        assertThat(registry.wouldServe("linear", 5)).isFalse();
        assertThat(registry.wouldServe("linear", 6)).isTrue();
    }

    @Test
    void listsModelsByName() {
        registry.offer(version("zeta", 1));
        registry.offer(version("alpha", 7));

        assertThat(registry.all()).extracting(ServedModel::name).containsExactly("alpha", "zeta");
        assertThat(registry.find("missing")).isEmpty();
    }

    @Test
    void listenersHearOfEveryChangeToAModel() {
        List<String> heard = new CopyOnWriteArrayList<>();
        registry.addListener(heard::add);

        registry.offer(version("linear", 2));
        registry.offer(version("linear", 1));
        registry.offer(version("zeta", 3));
        registry.pin("linear", 2);

        assertThat(heard).containsExactly("linear", "zeta", "linear");
    }

    @Test
    void keepsTheNewestVersionsAndServesTheNewest() {
        ModelRegistry keepTwo = new ModelRegistry(2);
        for (long v = 1; v <= 4; v++) {
            keepTwo.offer(version("linear", v));
        }

        assertThat(keepTwo.versions("linear").held()).extracting(ServedModel::version).containsExactly(3L, 4L);
        assertThat(keepTwo.find("linear")).map(ServedModel::version).contains(4L);
        assertThat(keepTwo.find("linear", 3)).map(ServedModel::version).contains(3L);
        assertThat(keepTwo.find("linear", 2)).isEmpty();
    }

    @Test
    void pinnedVersionIsServedAndKeptWhileNewerOnesArrive() {
        ModelRegistry keepTwo = new ModelRegistry(2);
        keepTwo.offer(version("linear", 1));
        keepTwo.offer(version("linear", 2));
        keepTwo.pin("linear", 1);

        keepTwo.offer(version("linear", 3));
        keepTwo.offer(version("linear", 4));

        assertThat(keepTwo.find("linear")).map(ServedModel::version).contains(1L);
        assertThat(keepTwo.versions("linear").held()).extracting(ServedModel::version).containsExactly(1L, 3L, 4L);

        keepTwo.unpin("linear");
        keepTwo.offer(version("linear", 5));

        assertThat(keepTwo.find("linear")).map(ServedModel::version).contains(5L);
        assertThat(keepTwo.versions("linear").held()).extracting(ServedModel::version).containsExactly(4L, 5L);
    }

    @Test
    void pinToAVersionNotHeldServesTheNewestUntilItArrives() {
        registry.pin("linear", 2);
        assertThat(registry.isEmpty()).isTrue();
        assertThat(registry.all()).isEmpty();

        registry.offer(version("linear", 1));
        assertThat(registry.find("linear")).map(ServedModel::version).contains(1L);

        registry.offer(version("linear", 2));
        registry.offer(version("linear", 3));
        assertThat(registry.find("linear")).map(ServedModel::version).contains(2L);
    }

    @Test
    void previousIsTheHeldVersionBeforeTheServedOne() {
        registry.offer(version("linear", 4));
        assertThat(registry.versions("linear").previous()).isEmpty();

        registry.offer(version("linear", 6));
        registry.offer(version("linear", 9));
        assertThat(registry.versions("linear").previous()).map(ServedModel::version).contains(6L);

        registry.pin("linear", 6);
        assertThat(registry.versions("linear").previous()).map(ServedModel::version).contains(4L);
    }

    @Test
    void concurrentOffersEndWithTheNewestVersion() throws Exception {
        List<ServedModel> candidates = new ArrayList<>();
        for (long v = 1; v <= 400; v++) {
            candidates.add(version("linear", (v * 7919) % 400 + 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> offers = new ArrayList<>();
            for (ServedModel candidate : candidates) {
                offers.add(pool.submit(() -> registry.offer(candidate)));
            }
            for (Future<Boolean> offer : offers) {
                offer.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(registry.find("linear")).map(ServedModel::version).contains(400L);
    }

    @Test
    void onlineVersionsKeepLoadingAfterABatchVersionIsServed() {
        registry.offer(version("linear", 1));
        registry.offer(version("linear", 2));

        assertThat(registry.offer(batch("linear", PROMOTED_AT))).isTrue();
        assertThat(registry.find("linear")).map(ServedModel::version).contains(PROMOTED_AT);

        assertThat(registry.wouldServe("linear", 3)).isTrue();
        assertThat(registry.offer(version("linear", 3))).isTrue();
        assertThat(registry.find("linear", 3)).isPresent();
        assertThat(registry.find("linear")).as("the batch version is the highest").map(ServedModel::version)
                .contains(PROMOTED_AT);
        assertThat(registry.versions("linear").held()).extracting(ServedModel::version)
                .containsExactly(2L, 3L, PROMOTED_AT);
    }

    @Test
    void aBatchVersionIsComparedOnlyWithBatchVersions() {
        registry.offer(batch("linear", PROMOTED_AT));
        registry.offer(version("linear", 9));

        assertThat(registry.offer(batch("linear", PROMOTED_AT - 1))).isFalse();
        assertThat(registry.offer(batch("linear", PROMOTED_AT))).isFalse();
        assertThat(registry.wouldServe("linear", PROMOTED_AT, ModelMetadata.BATCH)).isFalse();
        assertThat(registry.offer(batch("linear", PROMOTED_AT + 1))).isTrue();
        assertThat(registry.find("linear")).map(ServedModel::version).contains(PROMOTED_AT + 1);
    }

    @Test
    void keepsTheHighestVersionsSortedAndThePinnedOne() {
        ModelRegistry keepTwo = new ModelRegistry(2);
        keepTwo.offer(version("linear", 1));
        keepTwo.offer(batch("linear", PROMOTED_AT));
        keepTwo.pin("linear", 1);
        keepTwo.offer(version("linear", 2));
        keepTwo.offer(version("linear", 3));

        assertThat(keepTwo.versions("linear").held()).extracting(ServedModel::version)
                .containsExactly(1L, 3L, PROMOTED_AT);
        assertThat(keepTwo.find("linear")).map(ServedModel::version).contains(1L);
        keepTwo.unpin("linear");
        assertThat(keepTwo.find("linear")).map(ServedModel::version).contains(PROMOTED_AT);
        assertThat(keepTwo.versions("linear").previous()).map(ServedModel::version).contains(3L);
    }

    /**
     * Batch versions outrank every online one: after as many promotions as versions are kept, the newest online version
     * is still held (and taken as new ones come), so a rollback to the online learner stays possible.
     */
    @Test
    void theNewestOnlineVersionIsKeptWhenBatchVersionsFillTheKeptOnes() {
        ModelRegistry keepTwo = new ModelRegistry(2);
        keepTwo.offer(version("linear", 1));
        keepTwo.offer(batch("linear", PROMOTED_AT));
        keepTwo.offer(batch("linear", PROMOTED_AT + 1));
        keepTwo.offer(batch("linear", PROMOTED_AT + 2));
        assertThat(keepTwo.versions("linear").held()).extracting(ServedModel::version)
                .containsExactly(1L, PROMOTED_AT + 1, PROMOTED_AT + 2);

        assertThat(keepTwo.wouldServe("linear", 2)).isTrue();
        assertThat(keepTwo.offer(version("linear", 2))).as("taken, not decoded and dropped").isTrue();
        assertThat(keepTwo.versions("linear").held()).extracting(ServedModel::version)
                .containsExactly(2L, PROMOTED_AT + 1, PROMOTED_AT + 2);
        assertThat(keepTwo.find("linear")).map(ServedModel::version).contains(PROMOTED_AT + 2);
        keepTwo.pin("linear", 2);
        assertThat(keepTwo.find("linear")).as("rolled back to the online learner").map(ServedModel::version)
                .contains(2L);
    }

    private static ServedModel batch(String name, long version) {
        ModelMetadata metadata = new ModelMetadata(name, version, LEARNER.spec(),
                TestModels.linearSchema().withModel(name), Map.of(), 0, 0, null, 0, ModelSnapshotCodec.FORMAT_VERSION,
                ModelMetadata.BATCH, Map.of());
        return new ServedModel(metadata, LEARNER);
    }

    private static ServedModel version(String name, long version) {
        ModelMetadata metadata = new ModelMetadata(name, version, LEARNER.spec(),
                TestModels.linearSchema().withModel(name), Map.of(), 0, 0, null, 0, ModelSnapshotCodec.FORMAT_VERSION);
        return new ServedModel(metadata, LEARNER);
    }
}

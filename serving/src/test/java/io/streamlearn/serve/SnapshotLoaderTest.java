package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.SafeSerialization;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.serve.SnapshotLoader.Outcome;
import io.streamlearn.serve.fixtures.BatchModels;
import io.streamlearn.serve.fixtures.TestModels;
import java.io.File;
import java.net.URL;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotLoaderTest {

    private static final FeatureSchema SCHEMA = TestModels.linearSchema();
    private static final OnlineLearner LEARNER = TestModels.linearLearner();

    private final ModelRegistry models = new ModelRegistry();
    private final SnapshotLoader loader = new SnapshotLoader(models);

    @Test
    void loadsASnapshotAndServesItsVersion() {
        Outcome outcome = loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test");

        assertThat(outcome).isEqualTo(Outcome.LOADED);
        assertThat(models.find("linear")).map(ServedModel::version).contains(1L);
        assertThat(loader.loadedCount()).isEqualTo(1);
    }

    /**
     * {@code snapshot.max.bytes} bounds what a server assembles: a chunked snapshot larger than it is rejected at its
     * manifest, and the same records load where the limit is the default.
     */
    @Test
    void aChunkedSnapshotOverSnapshotMaxBytesIsRejectedAndLoadsUnderTheDefault() {
        byte[] snapshot = TestModels.encodedSnapshot(SCHEMA, LEARNER, 1);
        List<BlobChunking.Part> records = ModelSnapshotCodec.toRecords("linear", snapshot,
                new BlobChunking(1024, 1 << 20));
        ServingConfig small = ServingConfig.fromMap(Map.of("snapshot.max.bytes", String.valueOf(snapshot.length / 2)));
        assertThat(small.chunking().maxBlobBytes()).isEqualTo(snapshot.length / 2);
        ModelRegistry boundedModels = new ModelRegistry();
        SnapshotLoader bounded = new SnapshotLoader(boundedModels, small.snapshotSigning(), small.chunking());

        Outcome last = null;
        for (BlobChunking.Part record : records) {
            last = bounded.accept(record.key(), record.value(), "test");
        }
        assertThat(last).isEqualTo(Outcome.REJECTED);
        assertThat(boundedModels.find("linear")).isEmpty();

        for (BlobChunking.Part record : records) {
            last = loader.accept(record.key(), record.value(), "test");
        }
        assertThat(last).isEqualTo(Outcome.LOADED);
        assertThat(models.find("linear")).map(ServedModel::version).contains(1L);
    }

    @Test
    void servedLearnerPredictsAsTheOneThatWasSnapshotted() throws Exception {
        loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test");

        ServedPrediction served = models.find("linear").orElseThrow()
                .predict(TestModels.JSON.createObjectNode().put("x", 0.25));

        assertThat(served.prediction()).isEqualTo(LEARNER.predict(new double[] {0.25}).value());
    }

    @Test
    void skipsAVersionNotNewerThanTheServedOne() {
        loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 2), "test");

        assertThat(loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test"))
                .isEqualTo(Outcome.SKIPPED);
        assertThat(models.find("linear")).map(ServedModel::version).contains(2L);
        assertThat(loader.loadedCount()).isEqualTo(1);
        assertThat(loader.rejectedCount()).isZero();
    }

    @Test
    void rejectsBytesThatAreNotASnapshotAndKeepsServing() {
        loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test");

        assertThat(loader.load("linear", "not a snapshot".getBytes(), "test")).isEqualTo(Outcome.REJECTED);
        assertThat(loader.load("linear", new byte[0], "test")).isEqualTo(Outcome.REJECTED);

        assertThat(loader.rejectedCount()).isEqualTo(2);
        assertThat(models.find("linear")).map(ServedModel::version).contains(1L);
    }

    @Test
    void loadsABatchVersionKeyedModelAtBatchAndOnlineVersionsAfterIt() {
        loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test");

        assertThat(loader.load(ModelKeys.batch("linear"), BatchModels.encodedLinear(), "test"))
                .isEqualTo(Outcome.LOADED);
        assertThat(loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 2), "test"))
                .isEqualTo(Outcome.LOADED);

        assertThat(models.find("linear")).map(ServedModel::version).contains(BatchModels.PROMOTED_AT);
        assertThat(models.find("linear", 2)).isPresent();
        assertThat(models.find("linear").orElseThrow().metadata().isBatch()).isTrue();
    }

    @Test
    void rejectsAnOnlineSnapshotUnderTheBatchKey() {
        assertThat(loader.load("linear@batch", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test"))
                .isEqualTo(Outcome.REJECTED);
        assertThat(loader.load("other@batch", BatchModels.encodedLinear(), "test")).isEqualTo(Outcome.REJECTED);
        assertThat(models.isEmpty()).isTrue();
    }

    @Test
    void rejectsATruncatedSnapshot() {
        byte[] snapshot = TestModels.encodedSnapshot(SCHEMA, LEARNER, 1);

        assertThat(loader.load("linear", Arrays.copyOf(snapshot, snapshot.length - 10), "test"))
                .isEqualTo(Outcome.REJECTED);
        assertThat(models.isEmpty()).isTrue();
    }

    @Test
    void rejectsLearnerStateNamingAClassOutsideTheDeserializationAllowList() {
        ModelSnapshot genuine = TestModels.snapshot(SCHEMA, LEARNER, 1);
        byte[] hostileState = SafeSerialization.serialize(new File("/etc/passwd"));
        byte[] hostile = ModelSnapshotCodec.encode(new ModelSnapshot(genuine.metadata(), hostileState));

        assertThat(loader.load("linear", hostile, "test")).isEqualTo(Outcome.REJECTED);
        assertThat(models.isEmpty()).isTrue();
        assertThat(loader.rejectedCount()).isEqualTo(1);
    }

    /**
     * The shape of ysoserial's URLDNS chain, which needs nothing but the JDK: deserializing a {@code HashMap} re-hashes
     * its keys, and a {@code URL}'s hash resolves its host — a callback to the attacker's DNS. The allow-list must
     * refuse it before any key is hashed. (An IP literal keeps this test itself off the network.)
     */
    @Test
    void rejectsAGadgetChainPayloadBeforeItRuns() throws Exception {
        ModelSnapshot genuine = TestModels.snapshot(SCHEMA, LEARNER, 1);
        HashMap<URL, String> urlDns = new HashMap<>();
        urlDns.put(new URL("http://127.0.0.1:9/callback"), "x");
        byte[] hostile = ModelSnapshotCodec.encode(new ModelSnapshot(genuine.metadata(),
                SafeSerialization.serialize(urlDns)));

        assertThat(loader.load("linear", hostile, "test")).isEqualTo(Outcome.REJECTED);
        assertThat(models.isEmpty()).isTrue();
    }

    @Test
    void withASigningKeyServesOnlySnapshotsSignedWithIt() {
        SnapshotSigning signing = SnapshotSigning.of("the key the trainer and servers share");
        SnapshotLoader verifying = new SnapshotLoader(models, signing);
        byte[] genuine = signing.sign(TestModels.encodedSnapshot(SCHEMA, LEARNER, 1));
        byte[] tampered = signing.sign(TestModels.encodedSnapshot(SCHEMA, LEARNER, 2));
        tampered[tampered.length - 3] ^= 0x10;
        byte[] forged = SnapshotSigning.of("an attacker's key, just as long as ours")
                .sign(TestModels.encodedSnapshot(SCHEMA, LEARNER, 3));
        byte[] unsigned = TestModels.encodedSnapshot(SCHEMA, LEARNER, 4);

        assertThat(verifying.load("linear", genuine, "test")).isEqualTo(Outcome.LOADED);
        assertThat(verifying.load("linear", tampered, "test")).isEqualTo(Outcome.REJECTED);
        assertThat(verifying.load("linear", forged, "test")).isEqualTo(Outcome.REJECTED);
        assertThat(verifying.load("linear", unsigned, "test")).isEqualTo(Outcome.REJECTED);

        assertThat(verifying.rejectedCount()).isEqualTo(3);
        assertThat(models.find("linear")).map(ServedModel::version).contains(1L);
    }

    @Test
    void rejectsASnapshotWhoseRecordKeyNamesAnotherModel() {
        assertThat(loader.load("electricity", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test"))
                .isEqualTo(Outcome.REJECTED);
        assertThat(models.isEmpty()).isTrue();
    }

    @Test
    void acceptsARecordWithoutKeyUnderTheSnapshotsOwnName() {
        assertThat(loader.load(null, TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test"))
                .isEqualTo(Outcome.LOADED);
        assertThat(models.find("linear")).isPresent();
    }

    @Test
    void ignoresTombstones() {
        loader.load("linear", TestModels.encodedSnapshot(SCHEMA, LEARNER, 1), "test");

        assertThat(loader.load("linear", null, "test")).isEqualTo(Outcome.SKIPPED);
        assertThat(models.find("linear")).isPresent();
        assertThat(loader.rejectedCount()).isZero();
    }
}

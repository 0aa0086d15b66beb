package io.streamlearn.drift.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.runtime.health.PartFailure;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The newest batch version of each model, from the {@code models} topic (key {@code <model>@batch}, written by the
 * retrainer), in a global store every task reads: a model's snapshots are keyed apart from its events, so they do not
 * reach the task that monitors it by partition. A batch version arrives chunked (its chunks, then its manifest): the
 * chunks are held in the store until the manifest, then the snapshot is assembled and verified ({@link GlobalChunks})
 * and only its metadata decoded ({@link ModelSnapshotCodec#decodeMetadata}); a snapshot written whole (before
 * chunking) is read as it is. The store keeps the topic's key (the topic is the global store's changelog), the 8-byte
 * version and one byte that says whether the retrainer published the version's training rows on
 * {@code drift-references}.
 */
final class BatchModels {

    private BatchModels() {
    }

    /**
     * A published batch version.
     *
     * @param withReference whether its provenance says its training rows were published ({@link
     *                      TrainingReference#PROVENANCE_KEY}): the monitor then waits for them
     */
    record Published(long version, boolean withReference) {

        static Published of(ModelMetadata metadata) {
            return new Published(metadata.version(), metadata.provenance().containsKey(TrainingReference.PROVENANCE_KEY));
        }
    }

    /**
     * Keeps batch versions, ignores online snapshots and their chunks; records that are not snapshots, chunked ones
     * that cannot be assembled (a manifest without all its chunks, as compaction may leave beside a newer one) or do
     * not verify, and, with {@value SnapshotSigning#KEY} set, ones not signed with it, are counted and leave the
     * previous version in place: a forged batch version would reset the model's windows.
     */
    static final class Updater implements Processor<String, byte[], Void, Void> {

        private final BlobChunking chunking;
        private final SnapshotSigning signing;
        private final Runnable invalid;
        private KeyValueStore<String, byte[]> store;

        Updater(BlobChunking chunking, SnapshotSigning signing, Runnable invalid) {
            this.chunking = chunking;
            this.signing = signing;
            this.invalid = invalid;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(DriftMonitorTopology.BATCH_MODEL_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String key = record.key();
            if (key == null || !ModelKeys.isBatch(BlobChunking.baseKey(key))) {
                return;
            }
            if (BlobChunking.isChunkKey(key)) {
                GlobalChunks.hold(store, key, record.value());
                return;
            }
            try {
                Optional<byte[]> snapshot = GlobalChunks.complete(store, key, record.value(), chunking);
                if (snapshot.isEmpty()) {
                    store.delete(key);
                    return;
                }
                ModelMetadata metadata = ModelSnapshotCodec.decodeMetadata(signing.verify(snapshot.get()));
                if (metadata.isBatch()) {
                    Published published = Published.of(metadata);
                    store.put(key, ByteBuffer.allocate(9).putLong(published.version())
                            .put((byte) (published.withReference() ? 1 : 0)).array());
                }
            } catch (Throwable e) {
                // A record's fault, whatever it is (an Error too): the global thread must not die on it.
                PartFailure.rethrowIfFatal(e);
                invalid.run();
            }
        }
    }

    /** The newest batch version of {@code model}, if one was published. */
    static Optional<Published> version(ReadOnlyKeyValueStore<String, byte[]> store, String model,
            SnapshotSigning signing) {
        byte[] value = store.get(ModelKeys.batch(model));
        if (value == null) {
            return Optional.empty();
        }
        if (value.length == 9) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            return Optional.of(new Published(buffer.getLong(), buffer.get() == 1));
        }
        // Restored straight from the topic (a whole snapshot) rather than through the updater.
        try {
            ModelMetadata metadata = ModelSnapshotCodec.decodeMetadata(signing.verify(value));
            return metadata.isBatch() ? Optional.of(Published.of(metadata)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

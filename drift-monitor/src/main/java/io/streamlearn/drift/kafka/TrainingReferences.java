package io.streamlearn.drift.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.BlobFormatException;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest training reference of each model, from {@code drift-references} (key = model, written by the retrainer
 * in the transaction of the promotion, chunked), in a global store every task reads. The chunks are held in the store
 * until their manifest, then the reference is assembled and verified ({@link GlobalChunks}) and kept whole under the
 * model's key; a reference written whole (before chunking) is kept as it is. It is decoded only when a promotion is
 * applied ({@link ModelMonitors#promote}), and only after its header names the promoted version.
 */
final class TrainingReferences {

    private TrainingReferences() {
    }

    /**
     * Keeps each model's newest reference; a tombstone removes it. A chunked one that cannot be assembled (a manifest
     * without all its chunks, or one that does not verify) is kept as its manifest, which a promotion then reads as
     * unreadable and counts as a fallback, as it does a record written whole that does not decode.
     */
    static final class Updater implements Processor<String, byte[], Void, Void> {

        private static final Logger LOG = LoggerFactory.getLogger(Updater.class);

        private final BlobChunking chunking;
        private KeyValueStore<String, byte[]> store;

        Updater(BlobChunking chunking) {
            this.chunking = chunking;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(DriftMonitorTopology.TRAINING_REFERENCE_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String key = record.key();
            if (key == null) {
                return;
            }
            if (BlobChunking.isChunkKey(key)) {
                GlobalChunks.hold(store, key, record.value());
                return;
            }
            Optional<byte[]> reference;
            try {
                reference = GlobalChunks.complete(store, key, record.value(), chunking);
            } catch (BlobFormatException e) {
                LOG.warn("The training reference of model '{}' cannot be assembled and will not be used: {}", key,
                        e.getMessage());
                reference = Optional.of(record.value());
            }
            reference.ifPresentOrElse(value -> store.put(key, value), () -> store.delete(key));
        }
    }
}

package io.streamlearn.drift.kafka;

import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The newest batch version of each model, from the {@code models} topic (key {@code <model>@batch}, written by the
 * retrainer), in a global store every task reads: a model's snapshots are keyed apart from its events, so they do not
 * reach the task that monitors it by partition. Only the metadata is decoded ({@link ModelSnapshotCodec#decodeMetadata});
 * the store keeps the topic's key (the topic is the global store's changelog) and an 8-byte version.
 */
final class BatchModels {

    static final String SUFFIX = "@" + ModelMetadata.BATCH;

    private BatchModels() {
    }

    /** Keeps batch versions, ignores online snapshots and records that are not snapshots (they are counted). */
    static final class Updater implements Processor<String, byte[], Void, Void> {

        private final Runnable invalid;
        private KeyValueStore<String, byte[]> store;

        Updater(Runnable invalid) {
            this.invalid = invalid;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(DriftMonitorTopology.BATCH_MODEL_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null || !record.key().endsWith(SUFFIX)) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            try {
                ModelMetadata metadata = ModelSnapshotCodec.decodeMetadata(record.value());
                if (metadata.isBatch()) {
                    store.put(record.key(), ByteBuffer.allocate(8).putLong(metadata.version()).array());
                }
            } catch (RuntimeException e) {
                invalid.run();
            }
        }
    }

    /** The newest batch version of {@code model}, if one was published. */
    static OptionalLong version(ReadOnlyKeyValueStore<String, byte[]> store, String model) {
        byte[] value = store.get(model + SUFFIX);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value.length == 8) {
            return OptionalLong.of(ByteBuffer.wrap(value).getLong());
        }
        // Restored straight from the topic (a whole snapshot) rather than through the updater.
        try {
            ModelMetadata metadata = ModelSnapshotCodec.decodeMetadata(value);
            return metadata.isBatch() ? OptionalLong.of(metadata.version()) : OptionalLong.empty();
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}

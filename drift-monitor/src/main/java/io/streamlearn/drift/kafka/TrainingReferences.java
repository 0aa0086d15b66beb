package io.streamlearn.drift.kafka;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The newest training reference of each model, from {@code drift-references} (key = model, written by the retrainer
 * in the transaction of the promotion), in a global store every task reads. The store keeps the record's bytes as
 * they are, which is also what a restore from the topic puts there; they are decoded only when a promotion is applied
 * ({@link ModelMonitors#promote}), and only after their header names the promoted version.
 */
final class TrainingReferences {

    private TrainingReferences() {
    }

    /** Keeps each model's newest record; a tombstone removes it. */
    static final class Updater implements Processor<String, byte[], Void, Void> {

        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(DriftMonitorTopology.TRAINING_REFERENCE_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}

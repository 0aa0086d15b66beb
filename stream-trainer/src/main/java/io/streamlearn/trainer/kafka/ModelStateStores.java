package io.streamlearn.trainer.kafka;

import io.streamlearn.trainer.ModelDefinition;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each model recoverable at exactly the committed input offsets. Serialising a whole model per event would be
 * far too slow, so the state is a checkpoint (the model as of some journal sequence) plus a journal of the steps since,
 * both in changelogged stores written inside the same Kafka transaction as the outputs. The journal is a ring of
 * {@code capacity} slots per model; a checkpoint is taken before the ring wraps, so replay never meets an overwritten
 * step.
 */
final class ModelStateStores {

    private final KeyValueStore<String, byte[]> checkpoints;
    private final KeyValueStore<String, byte[]> journal;
    private final int capacity;
    private final int evaluationWindow;

    ModelStateStores(KeyValueStore<String, byte[]> checkpoints, KeyValueStore<String, byte[]> journal, int capacity,
            int evaluationWindow) {
        this.checkpoints = checkpoints;
        this.journal = journal;
        this.capacity = capacity;
        this.evaluationWindow = evaluationWindow;
    }

    /** The model as the committed state describes it: last checkpoint, then every journal step after it. */
    OnlineModel load(ModelDefinition definition) {
        byte[] checkpoint = checkpoints.get(definition.name());
        OnlineModel model = checkpoint == null
                ? OnlineModel.fresh(definition, evaluationWindow)
                : OnlineModel.restore(definition, checkpoint);
        while (true) {
            byte[] bytes = journal.get(slotKey(definition.name(), model.nextSequence()));
            if (bytes == null) {
                return model;
            }
            JournalEntry entry = JournalEntry.decode(bytes);
            if (entry.sequence() != model.nextSequence()) {
                return model;
            }
            model.apply(entry);
        }
    }

    /** Whether this task's stores hold any committed state of the model. */
    boolean hasState(ModelDefinition definition) {
        return checkpoints.get(definition.name()) != null || journal.get(slotKey(definition.name(), 1)) != null;
    }

    void append(String model, JournalEntry entry) {
        journal.put(slotKey(model, entry.sequence()), entry.encode());
    }

    /** True when the journal holds as many steps after {@code lastCheckpoint} as the ring can keep. */
    boolean checkpointDue(OnlineModel model, long lastCheckpoint) {
        return model.appliedSequence() - lastCheckpoint >= capacity - 1;
    }

    void checkpoint(OnlineModel model) {
        checkpoints.put(model.definition().name(), model.checkpoint());
    }

    private String slotKey(String model, long sequence) {
        return model + '/' + (sequence % capacity);
    }
}

package io.streamlearn.trainer.kafka;

import io.streamlearn.trainer.model.HeldLabel;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Labels that arrived before their events, in a changelogged store (so a held label survives a crash exactly as the
 * input offsets do) with a size bound and a time to live. The count is kept in memory and recounted from the store
 * whenever the task is initialised, so an empty hold costs an event no store lookup.
 */
final class EarlyLabels {

    private final KeyValueStore<String, byte[]> store;
    private final long maxHeld;
    private long held;

    EarlyLabels(KeyValueStore<String, byte[]> store, long maxHeld) {
        this.store = store;
        this.maxHeld = maxHeld;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                held++;
            }
        }
    }

    /** Holds the label; false when the hold is full or already holds a label for this key. */
    boolean hold(String key, HeldLabel label) {
        if (held >= maxHeld || store.get(key) != null) {
            return false;
        }
        store.put(key, label.encode());
        held++;
        return true;
    }

    /** The label held for this key, removed from the hold; null when none is. */
    HeldLabel take(String key) {
        if (held == 0) {
            return null;
        }
        // Look first: a delete of an absent key would still write a tombstone to the changelog for every event.
        byte[] value = store.get(key);
        if (value == null) {
            return null;
        }
        store.delete(key);
        held--;
        return HeldLabel.decode(value);
    }

    /** Removes every label older than {@code horizon} and hands it, with its key, to {@code expired}. */
    void expire(long horizon, BiConsumer<String, HeldLabel> expired) {
        if (held == 0) {
            return;
        }
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                HeldLabel label = HeldLabel.decode(entry.value);
                if (label.timestamp() < horizon) {
                    store.delete(entry.key);
                    held--;
                    expired.accept(entry.key, label);
                }
            }
        }
    }
}

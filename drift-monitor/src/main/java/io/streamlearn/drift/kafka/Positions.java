package io.streamlearn.drift.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The count of records the monitor has seen per key (a model's events, or its predictions from one source), their
 * positions in reports and alerts. Kept in a changelogged store; a task reads each key from it once and then only
 * writes it, so an event costs a store put and no get.
 */
final class Positions {

    private final KeyValueStore<String, Long> store;
    private final Map<String, Long> last = new HashMap<>();

    Positions(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** The position of the key's next record: 1 for its first. */
    long next(String key) {
        Long previous = last.get(key);
        if (previous == null) {
            previous = store.get(key);
        }
        long position = previous == null ? 1 : previous + 1;
        store.put(key, position);
        last.put(key, position);
        return position;
    }
}

package io.streamlearn.retrain.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the newest record of each key of the {@code models} topic lies, as (partition, offset), never its bytes: the
 * memory is a few dozen bytes per key whatever the snapshots' size. Within a partition the higher offset is newer.
 * Across partitions (a key moves when partitions are added to the topic) offsets do not compare, so the record with the
 * later timestamp wins, the one read later on a tie; the models topic's producers stamp records with their creation
 * time. Not thread-safe: {@link ModelsView} guards it.
 */
final class ModelsIndex {

    /** A record's place on the topic and its timestamp. */
    record Location(int partition, long offset, long timestamp) {
    }

    private final Map<String, Location> newest = new HashMap<>();

    /** Applies a record read from the topic: a value makes it its key's newest, a tombstone removes the key. */
    void apply(String key, boolean tombstone, Location location) {
        Location current = newest.get(key);
        if (current != null && !supersedes(location, current)) {
            return;
        }
        if (tombstone) {
            newest.remove(key);
        } else {
            newest.put(key, location);
        }
    }

    private static boolean supersedes(Location read, Location current) {
        return read.partition() == current.partition()
                ? read.offset() > current.offset()
                : read.timestamp() >= current.timestamp();
    }

    Optional<Location> find(String key) {
        return Optional.ofNullable(newest.get(key));
    }

    Set<String> keys() {
        return Set.copyOf(newest.keySet());
    }

    void clear() {
        newest.clear();
    }
}

package io.streamlearn.retrain.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where the newest usable value of each key of the {@code models} topic lies, never its bytes: the memory is a few dozen
 * bytes per key whatever the snapshots' size. A value is a record written whole, or a chunked blob
 * ({@link BlobChunking}): its chunks, then its manifest under the key, all in one partition. A blob is indexed at its
 * manifest only when the chunks just before it in that partition are all of the manifest's blob, in order 0 to
 * count - 1 (as a writer sends them, in one transaction); otherwise (compaction kept a manifest whose chunks a newer
 * blob replaced, a chunk went missing, a record is malformed) the manifest is skipped, the key keeps its previous value
 * and the caller counts it.
 *
 * <p>Within a partition the higher offset is newer. Across partitions (a key moves when partitions are added to the
 * topic) offsets do not compare, so the record with the later timestamp wins, the one read later on a tie; the models
 * topic's producers stamp records with their creation time. Not thread-safe: {@link ModelsView} guards it.
 */
final class ModelsIndex {

    /**
     * A value's place on the topic: the record that completes it (the manifest, or the record written whole) at
     * {@code offset}, its first chunk at {@code from} ({@code offset} itself for a record written whole).
     */
    record Location(int partition, long from, long offset, long timestamp) {
    }

    /** What a record of the topic is, read from its first bytes. */
    enum Kind {
        TOMBSTONE,
        /** A value written whole (a snapshot from before chunking, or any record neither chunk nor manifest). */
        WHOLE,
        CHUNK,
        MANIFEST,
        /** Starts like a chunk or a manifest but does not decode. */
        MALFORMED
    }

    /** A record's kind, with the blob, index and count of a chunk (of a manifest: blob and count, index 0). */
    record Shape(Kind kind, UUID blob, int index, int count) {

        static final Shape TOMBSTONE = new Shape(Kind.TOMBSTONE, null, 0, 0);
        static final Shape WHOLE = new Shape(Kind.WHOLE, null, 0, 0);
        static final Shape MALFORMED = new Shape(Kind.MALFORMED, null, 0, 0);

        static Shape chunk(UUID blob, int index, int count) {
            return new Shape(Kind.CHUNK, blob, index, count);
        }

        static Shape manifest(UUID blob, int count) {
            return new Shape(Kind.MANIFEST, blob, 0, count);
        }
    }

    /** What a record did to the index. */
    enum Applied {
        /** Its key's newest value now, or older than the one indexed, or a chunk held: nothing to count. */
        READ,
        /** A manifest whose chunks were not all read before it, in order: skipped. */
        INCOMPLETE,
        /** A record under a blob's key that is neither a value nor a manifest that decodes: skipped. */
        MALFORMED
    }

    /** The chunks of one blob read so far in a partition: {@code next} is the index expected next. */
    private record Pending(UUID blob, int count, int next, long from) {
    }

    private record KeyInPartition(String key, int partition) {
    }

    private final Map<String, Location> newest = new HashMap<>();
    private final Map<KeyInPartition, Pending> pending = new HashMap<>();

    /** Applies a record read from the topic, in offset order within its partition. */
    Applied apply(String key, Shape shape, Location at) {
        String base = BlobChunking.baseKey(key);
        KeyInPartition place = new KeyInPartition(base, at.partition());
        if (!base.equals(key)) {
            // A chunk key: held when it continues the blob being read, else what was held is dropped.
            if (shape.kind() == Kind.CHUNK) {
                hold(place, shape, at);
            } else {
                pending.remove(place);
            }
            return Applied.READ;
        }
        Pending chunks = pending.remove(place);
        switch (shape.kind()) {
            case TOMBSTONE -> remove(key, at);
            case WHOLE -> put(key, at);
            case MANIFEST -> {
                if (chunks == null || !chunks.blob().equals(shape.blob()) || chunks.next() != shape.count()
                        || chunks.count() != shape.count()) {
                    return Applied.INCOMPLETE;
                }
                put(key, new Location(at.partition(), chunks.from(), at.offset(), at.timestamp()));
            }
            // Malformed, or chunk bytes under a blob's own key: neither a value nor part of one.
            default -> {
                return Applied.MALFORMED;
            }
        }
        return Applied.READ;
    }

    private void hold(KeyInPartition place, Shape chunk, Location at) {
        Pending held = pending.get(place);
        if (chunk.index() == 0) {
            pending.put(place, new Pending(chunk.blob(), chunk.count(), 1, at.offset()));
        } else if (held != null && held.blob().equals(chunk.blob()) && held.next() == chunk.index()
                && held.count() == chunk.count()) {
            pending.put(place, new Pending(held.blob(), held.count(), held.next() + 1, held.from()));
        } else {
            pending.remove(place);
        }
    }

    private void put(String key, Location at) {
        Location current = newest.get(key);
        if (current == null || supersedes(at, current)) {
            newest.put(key, at);
        }
    }

    private void remove(String key, Location at) {
        Location current = newest.get(key);
        if (current != null && supersedes(at, current)) {
            newest.remove(key);
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
        pending.clear();
    }
}

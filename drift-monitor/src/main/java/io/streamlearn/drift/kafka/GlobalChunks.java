package io.streamlearn.drift.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Chunked blobs ({@link BlobChunking}) arriving at a global store's processor, which receives every record of its topic
 * in order, on start-up too (Kafka Streams reprocesses a global store's topic through its processor on restore). A
 * chunk is held in the store under its chunk key until the record under its blob's key arrives; that record (the
 * manifest, or a value written whole) is then assembled and verified, and the key's held chunks are deleted, used or
 * not. So the store holds only the chunks of blobs in flight, and a reader of a blob's key never sees chunks.
 */
final class GlobalChunks {

    private static final StringSerializer KEYS = new StringSerializer();

    private GlobalChunks() {
    }

    /** Holds a chunk record; a tombstone deletes the chunk. */
    static void hold(KeyValueStore<String, byte[]> store, String chunkKey, byte[] value) {
        if (value == null) {
            store.delete(chunkKey);
        } else {
            store.put(chunkKey, value);
        }
    }

    /**
     * The complete value that a blob's own record makes from the chunks held before it, which are deleted.
     *
     * @param value a manifest, or a value written whole (returned as it is); null for a tombstone (empty)
     * @throws io.streamlearn.core.chunk.BlobFormatException when the chunks are missing, of another blob, or do not
     *                                                       verify
     */
    static Optional<byte[]> complete(KeyValueStore<String, byte[]> store, String key, byte[] value,
            BlobChunking chunking) {
        try {
            return value == null ? Optional.empty()
                    : chunking.read(key, k -> k.equals(key) ? value : store.get(k));
        } finally {
            deleteChunks(store, key);
        }
    }

    private static void deleteChunks(KeyValueStore<String, byte[]> store, String key) {
        List<String> held = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> chunks = store.prefixScan(BlobChunking.chunkKeyPrefix(key), KEYS)) {
            chunks.forEachRemaining(chunk -> {
                if (BlobChunking.baseKey(chunk.key).equals(key)) {
                    held.add(chunk.key);
                }
            });
        }
        held.forEach(store::delete);
    }
}

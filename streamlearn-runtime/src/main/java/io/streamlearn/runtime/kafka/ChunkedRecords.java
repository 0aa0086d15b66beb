package io.streamlearn.runtime.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Chunked blobs ({@link BlobChunking}) on Kafka: the chunks of a key go to the partition Kafka's default partitioner
 * picks for the key itself, so they precede their manifest in one partition, and a state store holds a blob as its
 * chunks plus its manifest, stale chunks of a larger previous blob deleted in the same transaction.
 */
public final class ChunkedRecords {

    private ChunkedRecords() {
    }

    /** The partition of a blob's key, chunk keys mapped to their blob's key (murmur2, as Kafka's default). */
    public static int partition(String key, int partitions) {
        byte[] bytes = BlobChunking.baseKey(key).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    }

    /** For a Streams sink: chunks to their manifest's partition. */
    public static <V> StreamPartitioner<String, V> byBlobKey() {
        return (topic, key, value, partitions) -> Optional.of(Set.of(partition(key, partitions)));
    }

    /** The records of a blob for a plain producer, each with its partition set explicitly. */
    public static List<ProducerRecord<String, byte[]>> producerRecords(String topic, int partitions,
            List<BlobChunking.Part> parts) {
        return parts.stream()
                .map(part -> new ProducerRecord<>(topic, partition(part.key(), partitions), part.key(), part.value()))
                .toList();
    }

    /**
     * Stores {@code blob} under {@code key} as chunks and manifest; with a logged store every record reaches the
     * changelog in the current transaction.
     *
     * @return the number of bytes written (chunks and manifest)
     */
    public static long write(KeyValueStore<String, byte[]> store, String key, byte[] blob, byte[] header,
            BlobChunking chunking) {
        List<BlobChunking.Part> parts = chunking.split(key, blob, header);
        byte[] previous = store.get(key);
        long written = 0;
        for (BlobChunking.Part part : parts) {
            store.put(part.key(), part.value());
            written += part.value().length;
        }
        BlobChunking.staleChunkKeys(key, previous, parts.size() - 1).forEach(store::delete);
        return written;
    }

    /** The blob stored under {@code key}; a value written whole is returned as it is. */
    public static Optional<byte[]> read(KeyValueStore<String, byte[]> store, String key, BlobChunking chunking) {
        return chunking.read(key, store::get);
    }

    /** Deletes a blob and its chunks. */
    public static void delete(KeyValueStore<String, byte[]> store, String key) {
        byte[] previous = store.delete(key);
        BlobChunking.staleChunkKeys(key, previous, 0).forEach(store::delete);
    }
}

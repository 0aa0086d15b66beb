package io.streamlearn.retrain.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.BlobFormatException;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.chunk.IncompleteBlobException;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.kafka.ModelsIndex.Location;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one key's committed value of the {@code models} topic at the location {@link ModelsIndex} recorded for it:
 * seeks there with a consumer of its own and reassembles the key's chunks up to its manifest, one record batch per
 * fetch. {@link ModelsView} decides what a miss means (the view catches up, or rebuilds).
 */
final class SnapshotFetcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFetcher.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final BlobChunking chunking;
    private final KafkaConsumer<String, byte[]> fetcher;
    private final AtomicLong snapshotsFetched;
    private final AtomicLong corruptSkipped;

    /** @param snapshotsFetched counts the values read; @param corruptSkipped counts the blobs that did not verify */
    SnapshotFetcher(RetrainConfig config, AtomicLong snapshotsFetched, AtomicLong corruptSkipped) {
        this.topic = config.modelsTopic();
        this.chunking = config.chunking();
        this.snapshotsFetched = snapshotsFetched;
        this.corruptSkipped = corruptSkipped;
        Map<String, Object> fetching = KafkaClients.consumer(config, "streamlearn-retrainer-models-fetch");
        // A recorded offset below the log start is a miss, not a jump elsewhere; and one batch per fetch, the one
        // holding the wanted records (the broker always returns the first batch, however large).
        fetching.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        fetching.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1);
        fetching.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1);
        // The wanted record is always there: a fetch left waiting at the log's end (fetch.max.wait.ms, 500 ms by
        // default) would delay the next fetch from that broker by as much.
        fetching.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 0);
        this.fetcher = new KafkaConsumer<>(fetching);
    }

    /**
     * What a fetch found: the value; a miss (nothing usable there any more); or a blob that does not verify (neither a
     * miss nor a value: the champion is absent).
     */
    record Fetched(boolean miss, byte[] value) {

        static final Fetched MISS = new Fetched(true, null);
        static final Fetched CORRUPT = new Fetched(false, null);
    }

    /**
     * The key's committed value at a location: the records from its first chunk to its manifest, the key's chunks
     * reassembled (a record written whole is its own range). A MISS when the value is no longer all there (compacted
     * after a newer one of the key was committed); CORRUPT, counted and logged, when it does not verify.
     */
    Fetched fetch(String key, Location location) {
        TopicPartition partition = new TopicPartition(topic, location.partition());
        fetcher.assign(List.of(partition));
        fetcher.seek(partition, location.from());
        long end = fetcher.endOffsets(List.of(partition)).get(partition);
        long deadline = System.nanoTime() + ModelsView.READ_TIMEOUT.toNanos();
        ChunkReassembler chunks = new ChunkReassembler(chunking);
        try {
            while (fetcher.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the snapshot at " + location + " was not read within "
                            + ModelsView.READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : fetcher.poll(POLL).records(partition)) {
                    if (record.offset() == location.offset()) {
                        return completed(key, record, chunks);
                    }
                    if (record.offset() > location.offset()) {
                        return Fetched.MISS;
                    }
                    if (record.key() != null && record.value() != null && !record.key().equals(key)
                            && key.equals(BlobChunking.baseKey(record.key()))) {
                        chunks.accept(record.key(), record.value());
                    }
                }
            }
        } catch (OffsetOutOfRangeException | IncompleteBlobException e) {
            return Fetched.MISS;
        } catch (BlobFormatException e) {
            corruptSkipped.incrementAndGet();
            LOG.warn("The snapshot of '{}' on {} at {} is not used: {}", key, topic, location, e.getMessage());
            return Fetched.CORRUPT;
        }
        return Fetched.MISS;
    }

    /** The value completed by the record at the location's offset, which must be the key's committed value. */
    private Fetched completed(String key, ConsumerRecord<String, byte[]> record, ChunkReassembler chunks) {
        if (!key.equals(record.key()) || record.value() == null) {
            return Fetched.MISS;
        }
        byte[] value = chunks.accept(key, record.value()).orElseThrow(() ->
                new BlobFormatException("a chunk under the blob's own key")).value();
        snapshotsFetched.incrementAndGet();
        return new Fetched(false, value);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}

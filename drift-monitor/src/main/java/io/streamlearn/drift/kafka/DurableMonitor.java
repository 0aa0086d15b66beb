package io.streamlearn.drift.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.BlobFormatException;
import io.streamlearn.core.learn.SafeSerialization;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import io.streamlearn.drift.window.ObservationCodec;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One monitor of one model (its feature windows, a prediction source's windows or its concept detectors) whose state
 * lives in a changelogged store, so it survives a restart exactly once with the input offsets.
 *
 * <p>Writing the whole monitor (sketches, reservoirs, MOA detectors: tens of KB) on every record would cost too much,
 * and writing it only every few records would lose the records in between on a crash (the input offsets commit
 * independently of the steps). So, like a database's log: every record is appended to a journal in the store (one
 * small entry, {@link ObservationCodec}), every {@code drift.snapshot.records} records the monitor is written whole
 * ({@link SafeSerialization}: MOA detectors are Java-serializable, KLL sketches write their own compact bytes) and the
 * journal entries it covers are deleted. Journal, snapshot and deletions are store writes, which exactly-once commits
 * in the transaction that also commits the input offsets and the alerts. On a restart (or when a task moves) the
 * snapshot is read and the journal replayed with outputs discarded: they were committed with the entries.
 *
 * <p>The journal is kept in pages of {@value #PAGE} records under one key each, rewritten with every record: the
 * store's cache keeps only the last version of a key between two commits, so the changelog receives one record per
 * page and commit instead of one per record (with one key per record, changelog writes made the monitor several times
 * slower than the trainer in bench-drift). Keys: {@code s\0model\0stream} for the snapshot,
 * {@code j\0model\0stream\0p} for journal page p (records p x {@value #PAGE} + 1 onwards), whose entries carry their
 * record number, so a replay skips those a snapshot covers. A page of wide records (hundreds of features each) is split
 * into parts of at most {@code snapshot.chunk.bytes}, part s of page p under {@code j\0model\0stream\0p\0s} (part 0
 * under the page's own key), so no journal record outgrows Kafka's record limit.
 *
 * <p>A snapshot holds whole windows of samples and grows with the features (about 26 KB per numeric one), past Kafka's
 * 1 MiB record limit at a few dozen: it is stored chunked ({@link ChunkedRecords}: compressed chunks of at most
 * {@code snapshot.chunk.bytes} under {@code s\0model\0stream\0chunk<i>}, the manifest under the snapshot's key), in
 * the same transaction. Nothing iterates the store but the journal's range {@code j\0model\0stream\0..}, which no
 * chunk key falls in.
 */
final class DurableMonitor<M extends Serializable> {

    /** What a snapshot holds: the settings it was built with (other settings start afresh) and the records in it. */
    record Snapshot(MonitorSettings settings, long records, Serializable monitor) implements Serializable {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DurableMonitor.class);
    static final int PAGE = 64;

    private final KeyValueStore<String, byte[]> store;
    private final BlobChunking chunking;
    private final String prefix;
    private final int snapshotEvery;
    private final BiFunction<M, Observation, List<DriftAlert>> step;
    private final MonitorSettings settings;
    private final M monitor;
    private final boolean restored;
    private long records;
    private long snapshotRecords;
    /** The journal page part being filled: the entries of its records since the part began or the last snapshot. */
    private ByteArrayOutputStream page = new ByteArrayOutputStream();
    /** Which part of its page {@link #page} is. */
    private int part;

    private DurableMonitor(KeyValueStore<String, byte[]> store, BlobChunking chunking, String prefix,
            int snapshotEvery, BiFunction<M, Observation, List<DriftAlert>> step, MonitorSettings settings, M monitor,
            long records, boolean restored) {
        this.store = store;
        this.chunking = chunking;
        this.prefix = prefix;
        this.snapshotEvery = snapshotEvery;
        this.step = step;
        this.settings = settings;
        this.monitor = monitor;
        this.records = records;
        this.snapshotRecords = records;
        this.restored = restored;
    }

    /**
     * The monitor as of the last committed record: the snapshot with the journal replayed, or {@code fresh} when
     * there is none (or it was built with other settings).
     */
    static <M extends Serializable> DurableMonitor<M> load(KeyValueStore<String, byte[]> store, BlobChunking chunking,
            String model, String stream, MonitorSettings settings, int snapshotEvery, Class<M> type, Supplier<M> fresh,
            BiFunction<M, Observation, List<DriftAlert>> step) {
        String prefix = model + '\0' + stream;
        boolean stored = store.get(snapshotKey(prefix)) != null;
        Snapshot snapshot = read(store, chunking, snapshotKey(prefix));
        // A snapshot built with other settings (or by a version whose classes changed) is dropped with its journal:
        // its windows do not fit, and a monitor that starts afresh is better than one that cannot start.
        boolean stale = snapshot == null ? stored
                : !(snapshot.settings().equals(settings) && type.isInstance(snapshot.monitor()));
        M monitor = snapshot == null || stale ? fresh.get() : type.cast(snapshot.monitor());
        long records = snapshot == null || stale ? 0 : snapshot.records();
        DurableMonitor<M> durable = new DurableMonitor<>(store, chunking, prefix, snapshotEvery, step, settings,
                monitor, records, stored || store.get(pageKey(prefix, 0)) != null);
        if (stale) {
            if (snapshot == null) {
                forget(store, snapshotKey(prefix));
            }
            durable.dropJournal();
            durable.checkpoint();
        } else {
            durable.replay();
        }
        return durable;
    }

    private static Snapshot read(KeyValueStore<String, byte[]> store, BlobChunking chunking, String key) {
        try {
            byte[] bytes = ChunkedRecords.read(store, key, chunking).orElse(null);
            return bytes == null ? null : SafeSerialization.deserialize(bytes, Snapshot.class);
        } catch (IllegalArgumentException e) {
            // Unreadable, or chunks missing or not verifying (BlobFormatException is one).
            LOG.warn("drift monitor state unreadable, starting afresh: {}", e.getMessage());
            return null;
        }
    }

    /** Deletes an unreadable snapshot with what chunks its manifest names, or alone when not even that decodes. */
    private static void forget(KeyValueStore<String, byte[]> store, String key) {
        try {
            ChunkedRecords.delete(store, key);
        } catch (BlobFormatException e) {
            store.delete(key);
        }
    }

    private void replay() {
        for (long pageNumber = records / PAGE; ; pageNumber++) {
            if (store.get(pageKey(prefix, pageNumber)) == null) {
                break;
            }
            for (int s = 0; ; s++) {
                byte[] bytes = store.get(partKey(prefix, pageNumber, s));
                if (bytes == null) {
                    break;
                }
                ByteBuffer entries = ByteBuffer.wrap(bytes);
                while (entries.hasRemaining()) {
                    long n = entries.getLong();
                    byte[] entry = new byte[entries.getInt()];
                    entries.get(entry);
                    if (n == records + 1) {
                        step.apply(monitor, ObservationCodec.decode(entry));
                        records = n;
                    }
                }
                this.page = new ByteArrayOutputStream();
                this.page.writeBytes(bytes);
                this.part = s;
            }
        }
        if (records % PAGE == 0) {
            page = new ByteArrayOutputStream();
            part = 0;
        }
    }

    private void dropJournal() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> journal = store.range("j\0" + prefix + '\0', "j\0" + prefix + '\1')) {
            journal.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    /** Feeds one record; the alerts it confirms. */
    List<DriftAlert> observe(Observation observation) {
        records++;
        if ((records - 1) % PAGE == 0) {
            page = new ByteArrayOutputStream();
            part = 0;
        }
        byte[] entry = ObservationCodec.encode(observation);
        if (page.size() > 0 && page.size() + 12 + entry.length > chunking.chunkBytes()) {
            page = new ByteArrayOutputStream();
            part++;
        }
        page.writeBytes(ByteBuffer.allocate(12).putLong(records).putInt(entry.length).array());
        page.writeBytes(entry);
        store.put(partKey(prefix, (records - 1) / PAGE, part), page.toByteArray());
        List<DriftAlert> alerts = step.apply(monitor, observation);
        if (records - snapshotRecords >= snapshotEvery) {
            checkpoint();
        }
        return alerts;
    }

    /** Changes the monitor outside the record stream (a reset), written at once so a replay starts after it. */
    void change(Consumer<M> change) {
        change.accept(monitor);
        checkpoint();
    }

    /** Records fed so far, replayed ones included. */
    long records() {
        return records;
    }

    M monitor() {
        return monitor;
    }

    /** Whether state was found in the store (a restart or a moved task), rather than started afresh. */
    boolean restored() {
        return restored;
    }

    private void checkpoint() {
        ChunkedRecords.write(store, snapshotKey(prefix),
                SafeSerialization.serialize(new Snapshot(settings, records, monitor)), new byte[0], chunking);
        if (records > snapshotRecords) {
            for (long p = snapshotRecords / PAGE; p <= (records - 1) / PAGE; p++) {
                for (int s = 0; store.get(partKey(prefix, p, s)) != null; s++) {
                    store.delete(partKey(prefix, p, s));
                }
            }
        }
        // The page of the next record starts empty even when it is the current one: a replay skips what it lacks.
        page = new ByteArrayOutputStream();
        part = 0;
        snapshotRecords = records;
    }

    private static String snapshotKey(String prefix) {
        return "s\0" + prefix;
    }

    private static String pageKey(String prefix, long page) {
        return "j\0" + prefix + '\0' + page;
    }

    private static String partKey(String prefix, long page, int part) {
        return part == 0 ? pageKey(prefix, page) : pageKey(prefix, page) + '\0' + part;
    }
}

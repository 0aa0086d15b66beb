package io.streamlearn.serve;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.BlobManifest;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.chunk.IncompleteBlobException;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.ShardAssembler;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.runtime.health.PartFailure;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records of the {@code models} topic (key = model name, value = {@link ModelSnapshotCodec} bytes, chunked as
 * {@code ModelSnapshotCodec.toRecords} writes them) into served versions. Decoding is slow for large ensembles, so this runs on the caller's thread, never on an event loop.
 * A record that cannot be decoded, is not signed as configured, is refused by the deserialization allow-list, or runs
 * the decoder out of memory or stack, is logged, counted and skipped: anyone who can write to the topic can send one,
 * and the served version must survive it.
 */
public final class SnapshotLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoader.class);

    /** What became of one record. */
    public enum Outcome {
        /** The snapshot is now served. */
        LOADED,
        /** A tombstone, or a version not newer than the served one. */
        SKIPPED,
        /** The record is not a usable snapshot. */
        REJECTED
    }

    /** Told about every snapshot that became served and every rejected record, on the loading thread. */
    public interface Listener {

        /** @param nanos time to decode the snapshot and restore its learner */
        void loaded(ServedModel model, long nanos);

        /**
         * @param knownModel the model the record's key names when this server holds versions of it, else {@code null}:
         *                   anyone who can write to the topic chooses keys, so an unknown one is never reported
         */
        void rejected(String knownModel);
    }

    private final ModelRegistry models;
    private final SnapshotSigning signing;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();
    private final ChunkReassembler chunks;
    private final ShardAssembler shards = new ShardAssembler();

    public SnapshotLoader(ModelRegistry models) {
        this(models, SnapshotSigning.none());
    }

    /** @param signing the signatures a record must carry; a record without a valid one is rejected */
    public SnapshotLoader(ModelRegistry models, SnapshotSigning signing) {
        this(models, signing, BlobChunking.defaults());
    }

    /**
     * @param chunking how large a chunked snapshot may be assembled ({@code snapshot.max.bytes}); a manifest that
     *                 claims more is rejected before any of its chunks is kept
     */
    public SnapshotLoader(ModelRegistry models, SnapshotSigning signing, BlobChunking chunking) {
        this.models = models;
        this.signing = signing;
        this.chunks = new ChunkReassembler(chunking);
    }

    /**
     * Takes the next record of the {@code models} topic, read in order: a chunk is held until its manifest completes
     * the snapshot ({@link ChunkReassembler}), which is then loaded as {@link #load} does; a snapshot written whole
     * (before chunking) is loaded as it is. A manifest whose chunks are not all there (what compaction leaves of an
     * older version) is skipped and counted. Call it from one thread only (the follower's).
     */
    public Outcome accept(String key, byte[] value, String origin) {
        if (value == null) {
            return BlobChunking.isChunkKey(key) ? Outcome.SKIPPED : load(key, null, origin);
        }
        try {
            return chunks.accept(key, value, this::wanted)
                    .map(complete -> load(complete.key(), complete.value(), origin))
                    .orElse(Outcome.SKIPPED);
        } catch (IncompleteBlobException e) {
            incomplete.incrementAndGet();
            LOG.info("Skipping an incomplete chunked snapshot for '{}' at {} (a newer version replaced its chunks): {}",
                    key, origin, e.getMessage());
            return Outcome.SKIPPED;
        } catch (Throwable e) {
            PartFailure.rethrowIfFatal(e);
            return reject(key, origin, e);
        }
    }

    /** Assembles a chunked snapshot only when its manifest names a version this server would serve. */
    private boolean wanted(BlobManifest manifest) {
        try {
            ModelMetadata metadata = ModelSnapshotCodec.decodeMetadata(manifest);
            if (metadata.isSharded()) {
                // A shard's state is wanted until its version is assembled or passed (ShardAssembler decides).
                return true;
            }
            return models.wouldServe(metadata.model(), metadata.version(), metadata.origin());
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Manifests skipped because their chunks were not all there. */
    public long incompleteCount() {
        return incomplete.get();
    }

    /**
     * @param key    the record key, the model name ({@code <model>@batch} for a batch version); {@code null} accepts
     *               the name inside the snapshot
     * @param value  the encoded snapshot; {@code null} is a tombstone, which is ignored: the served version keeps
     *               serving until a restart, which no longer finds the model once compaction has removed it
     * @param origin where the record came from ({@code models-0@42}), for the log
     */
    public Outcome load(String key, byte[] value, String origin) {
        if (value == null) {
            LOG.info("Ignoring tombstone for model '{}' at {}", key, origin);
            return Outcome.SKIPPED;
        }
        long started = System.nanoTime();
        try {
            byte[] encoded = signing.verify(value);
            ModelMetadata metadata = ModelSnapshotCodec.decodeMetadata(encoded);
            checkKey(key, metadata);
            if (metadata.isSharded()) {
                return loadSharded(key == null ? metadata.model() : key, encoded, origin, started);
            }
            if (!models.wouldServe(metadata.model(), metadata.version(), metadata.origin())) {
                LOG.debug("Skipping {} v{} at {}: not newer than the served version", metadata.model(),
                        metadata.version(), origin);
                return Outcome.SKIPPED;
            }
            return serve(ModelSnapshotCodec.decode(encoded), origin, started);
        } catch (Throwable e) {
            // Any failure here comes from the record's bytes, an OutOfMemoryError or StackOverflowError decoding a
            // hostile snapshot included; it must not end the follower. Only a broken JVM goes on to fail it.
            PartFailure.rethrowIfFatal(e);
            return reject(key, origin, e);
        }
    }

    /**
     * A sharded model's snapshot or one of its shards' states: served once the model's snapshot and every shard's
     * state of one version are in ({@link ShardAssembler}), as one ensemble that adds its shards' votes.
     */
    private Outcome loadSharded(String key, byte[] encoded, String origin, long started) {
        Optional<ModelSnapshot> complete = shards.accept(key, ModelSnapshotCodec.decode(encoded));
        if (complete.isEmpty()) {
            LOG.debug("Holding {} at {} until every shard of its version is in", key, origin);
            return Outcome.SKIPPED;
        }
        ModelMetadata metadata = complete.get().metadata();
        if (!models.wouldServe(metadata.model(), metadata.version(), metadata.origin())) {
            return Outcome.SKIPPED;
        }
        return serve(complete.get(), origin, started);
    }

    private Outcome reject(String key, String origin, Throwable e) {
        rejected.incrementAndGet();
        LOG.warn("Rejected model snapshot for '{}' at {}: {}", key, origin, PartFailure.describe(e));
        String base = BlobChunking.baseKey(key);
        String named = ModelKeys.model(base);
        String knownModel = named != null && !models.versions(named).held().isEmpty() ? named : null;
        listeners.forEach(listener -> listener.rejected(knownModel));
        return Outcome.REJECTED;
    }

    /**
     * The key must name the snapshot's model; a batch model's version may also be keyed {@code <model>@batch}, so that
     * compaction of {@code models} keeps the newest batch version beside the newest online snapshot.
     */
    private static void checkKey(String key, ModelMetadata metadata) {
        if (key == null || key.equals(metadata.model())) {
            return;
        }
        if (key.equals(ModelKeys.batch(metadata.model()))) {
            if (!metadata.isBatch()) {
                throw new IllegalArgumentException("record key '" + key + "' is a batch key but the snapshot's origin is '"
                        + metadata.origin() + "'");
            }
            return;
        }
        throw new IllegalArgumentException("record key '" + key + "' names another model than the snapshot ('"
                + metadata.model() + "')");
    }

    /** Snapshots that became the served version. */
    public long loadedCount() {
        return loaded.get();
    }

    /** Records that were not usable snapshots. */
    public long rejectedCount() {
        return rejected.get();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private Outcome serve(ModelSnapshot snapshot, String origin, long started) {
        ServedModel model = ServedModel.restore(snapshot);
        long nanos = System.nanoTime() - started;
        if (!models.offer(model)) {
            return Outcome.SKIPPED;
        }
        loaded.incrementAndGet();
        listeners.forEach(listener -> listener.loaded(model, nanos));
        LOG.info("Serving {} from {}", model, origin);
        return Outcome.LOADED;
    }
}

package io.streamlearn.core.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Puts a sharded model's versions together from the {@code models} topic: the model's own snapshot (keyed by its
 * name, carrying its evaluation and {@code shards}) and each shard's state of the same version (keyed
 * {@code <model>#<shard>}), which arrive in any order from different partitions. A version is complete when the
 * model's snapshot and every shard's state of it are in; it is then one snapshot whose learner state holds the shards'
 * states in shard order ({@link io.streamlearn.core.learn.ShardedEnsemble}'s snapshot), restorable as any other.
 * Versions older than a completed one are dropped, and only the newest {@link #KEPT_VERSIONS} of each part are
 * held, so memory stays within a few versions of the model. Snapshots of unsharded models pass through unchanged.
 * Not thread-safe: one reader of the topic feeds it.
 */
public final class ShardAssembler {

    /** Versions of each part held while waiting for the others (a shard may lag its model by a few publishes). */
    static final int KEPT_VERSIONS = 4;

    private final Map<String, NavigableMap<Long, ModelMetadata>> models = new HashMap<>();
    private final Map<String, Map<Integer, NavigableMap<Long, byte[]>>> shards = new HashMap<>();
    private final Map<String, Long> completed = new HashMap<>();

    /**
     * @param key the record key: the model's name, or {@code <model>#<shard>} for a shard's state
     * @return the snapshot to serve: an unsharded one as given, a sharded version once complete, else empty
     */
    public Optional<ModelSnapshot> accept(String key, ModelSnapshot snapshot) {
        ModelMetadata metadata = snapshot.metadata();
        int separator = key.lastIndexOf(ModelDefinition.SHARD_SEPARATOR);
        if (separator > 0) {
            String model = key.substring(0, separator);
            int shard = Integer.parseInt(key.substring(separator + 1));
            if (!metadata.isSharded() || shard < 0 || shard >= metadata.shards()) {
                throw new IllegalArgumentException("record key '" + key + "' names shard " + shard + " but the "
                        + "snapshot is of " + metadata.shards() + " shards");
            }
            if (metadata.version() <= completed.getOrDefault(model, 0L)) {
                return Optional.empty();
            }
            keep(shards.computeIfAbsent(model, name -> new HashMap<>()).computeIfAbsent(shard, s -> new TreeMap<>()),
                    metadata.version(), snapshot.learnerState());
            return complete(model);
        }
        if (!metadata.isSharded()) {
            return Optional.of(snapshot);
        }
        if (metadata.version() <= completed.getOrDefault(metadata.model(), 0L)) {
            return Optional.empty();
        }
        keep(models.computeIfAbsent(metadata.model(), name -> new TreeMap<>()), metadata.version(), metadata);
        return complete(metadata.model());
    }

    private static <V> void keep(NavigableMap<Long, V> versions, long version, V value) {
        versions.put(version, value);
        while (versions.size() > KEPT_VERSIONS) {
            versions.pollFirstEntry();
        }
    }

    /** The newest version of which the model's snapshot and every shard's state are in. */
    private Optional<ModelSnapshot> complete(String model) {
        NavigableMap<Long, ModelMetadata> versions = models.get(model);
        Map<Integer, NavigableMap<Long, byte[]>> states = shards.getOrDefault(model, Map.of());
        if (versions == null) {
            return Optional.empty();
        }
        for (ModelMetadata metadata : versions.descendingMap().values()) {
            byte[][] parts = new byte[metadata.shards()][];
            boolean all = true;
            for (int shard = 0; shard < parts.length && all; shard++) {
                NavigableMap<Long, byte[]> held = states.get(shard);
                parts[shard] = held == null ? null : held.get(metadata.version());
                all = parts[shard] != null;
            }
            if (all) {
                long version = metadata.version();
                completed.put(model, version);
                versions.headMap(version, true).clear();
                states.values().forEach(held -> held.headMap(version, true).clear());
                return Optional.of(new ModelSnapshot(metadata, ensembleState(parts)));
            }
        }
        return Optional.empty();
    }

    /** The shards' states in {@link io.streamlearn.core.learn.ShardedEnsemble#snapshot()}'s layout. */
    private static byte[] ensembleState(byte[][] parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(parts.length);
            for (byte[] part : parts) {
                out.writeInt(part.length);
                out.write(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}

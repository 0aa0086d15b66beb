package io.streamlearn.core.model;

/**
 * The record keys of the {@code models} topic: a model's online snapshots are keyed by the model's name, its batch
 * versions (trained by the retrainer) by {@code <model>@batch}, so that compaction keeps the newest of each side by
 * side. The trainer, the prediction server, the drift monitor and the retrainer all read these keys from here.
 */
public final class ModelKeys {

    /** What a batch version's key adds to the model's name. */
    public static final String BATCH_SUFFIX = "@" + ModelMetadata.BATCH;

    private ModelKeys() {
    }

    /** The key of a model's batch versions. */
    public static String batch(String model) {
        return model + BATCH_SUFFIX;
    }

    /** Whether {@code key} is a batch version's key; {@code false} for {@code null}. */
    public static boolean isBatch(String key) {
        return key != null && key.endsWith(BATCH_SUFFIX);
    }

    /** The model a key names: the key without {@link #BATCH_SUFFIX}; {@code null} for {@code null}. */
    public static String model(String key) {
        return isBatch(key) ? key.substring(0, key.length() - BATCH_SUFFIX.length()) : key;
    }
}

package io.streamlearn.retrain.run;

import io.streamlearn.core.model.ModelSnapshot;
import java.util.Optional;

/**
 * The versions a challenger must beat: the newest online snapshot of the model (key {@code <model>} on
 * {@code models}) and its newest batch version (key {@link io.streamlearn.core.model.ModelKeys#batch}), either possibly
 * absent.
 */
public record Champions(ModelSnapshot online, ModelSnapshot batch) {

    public Optional<ModelSnapshot> onlineVersion() {
        return Optional.ofNullable(online);
    }

    public Optional<ModelSnapshot> batchVersion() {
        return Optional.ofNullable(batch);
    }

    /** The newest snapshot of either kind: the schema a run encodes its window with. */
    public Optional<ModelSnapshot> newest() {
        if (online == null || batch == null) {
            return Optional.ofNullable(online != null ? online : batch);
        }
        return Optional.of(online.metadata().createdAt() >= batch.metadata().createdAt() ? online : batch);
    }
}

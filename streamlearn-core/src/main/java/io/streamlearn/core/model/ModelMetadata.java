package io.streamlearn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable provenance of one model version, written once with its snapshot and never changed.
 *
 * @param version        1 for the first snapshot of a model, then one more for each; batch versions are numbered
 *                       apart (see {@link #BATCH})
 * @param inputOffsets   for each input partition ({@code "events-0"}), the next offset not yet covered: the snapshot
 *                       reflects every record before it
 * @param eventsSeen     events of this model processed (predicted) when the snapshot was taken
 * @param labelsLearned  labelled instances the learner has trained on
 * @param createdAt      epoch milliseconds
 * @param origin         {@link #ONLINE} for a snapshot of the incremental learner, {@link #BATCH} for a model trained
 *                       by the retrainer; snapshots written before the field existed read as online
 * @param provenance     for a batch model, how it was made (data offsets, parameters, metrics, device, trigger...) as
 *                       plain JSON values; empty for online snapshots
 * @param shards         for a sharded ensemble, its number of shards: the version is served once every shard's state
 *                       of it (keyed {@code <model>#<shard>}) is in ({@link ShardAssembler}); 0 for any other model
 */
public record ModelMetadata(
        String model,
        long version,
        String learnerSpec,
        FeatureSchema schema,
        Map<String, Long> inputOffsets,
        long eventsSeen,
        long labelsLearned,
        Evaluation evaluation,
        long createdAt,
        int formatVersion,
        String origin,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> provenance,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int shards) {

    public static final String ONLINE = "online";
    public static final String BATCH = "batch";

    public ModelMetadata {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(learnerSpec, "learnerSpec");
        Objects.requireNonNull(schema, "schema");
        inputOffsets = Map.copyOf(inputOffsets);
        origin = origin == null ? ONLINE : origin;
        // Insertion order kept (JSON values may be null, which Map.copyOf refuses).
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    public ModelMetadata(String model, long version, String learnerSpec, FeatureSchema schema,
            Map<String, Long> inputOffsets, long eventsSeen, long labelsLearned, Evaluation evaluation,
            long createdAt, int formatVersion, String origin, Map<String, Object> provenance) {
        this(model, version, learnerSpec, schema, inputOffsets, eventsSeen, labelsLearned, evaluation, createdAt,
                formatVersion, origin, provenance, 0);
    }

    /** An online learner's snapshot. */
    public ModelMetadata(String model, long version, String learnerSpec, FeatureSchema schema,
            Map<String, Long> inputOffsets, long eventsSeen, long labelsLearned, Evaluation evaluation,
            long createdAt, int formatVersion) {
        this(model, version, learnerSpec, schema, inputOffsets, eventsSeen, labelsLearned, evaluation, createdAt,
                formatVersion, ONLINE, Map.of());
    }

    /** The same provenance for a sharded ensemble of {@code count} shards. */
    public ModelMetadata withShards(int count) {
        return new ModelMetadata(model, version, learnerSpec, schema, inputOffsets, eventsSeen, labelsLearned,
                evaluation, createdAt, formatVersion, origin, provenance, count);
    }

    public boolean isSharded() {
        return shards > 0;
    }

    public boolean isBatch() {
        return BATCH.equals(origin);
    }
}

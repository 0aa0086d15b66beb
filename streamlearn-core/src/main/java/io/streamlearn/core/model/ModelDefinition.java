package io.streamlearn.core.model;

import io.streamlearn.core.eval.AlertRule;
import io.streamlearn.core.learn.EnsembleShards;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.List;
import java.util.Objects;

/**
 * A model the trainer learns: its name (the key of its events), its feature schema, its learner spec and, for an
 * anomaly detector, the rule by which a score raises an alert on the {@code anomalies} topic.
 *
 * <p>The schema, the learner and the alert rule define the model's learned state: a model restored under other ones
 * would be fed vectors of another shape. {@code generation} counts the times that state was deliberately started
 * afresh (a definition update with {@code --reset}); {@code version} counts every write of the definition.
 *
 * <p>{@code shards} ≥ 1 splits an ensemble learner into that many shards that learn in parallel
 * ({@link EnsembleShards}); 0 is an unsharded model. The definition of one shard's state is the model's with
 * {@code shard} set ({@link #shard(int)}); the model's own has {@code shard} = -1.
 */
public record ModelDefinition(FeatureSchema schema, String learnerSpec, AlertRule alertRule, long generation,
        long version, int shards, int shard) {

    /** The separator of a shard's state name, {@code model#shard}: model names cannot hold it (key of events). */
    public static final String SHARD_SEPARATOR = "#";

    public ModelDefinition {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(learnerSpec, "learner spec");
        Objects.requireNonNull(alertRule, "alert rule");
        if (generation < 1 || version < 1) {
            throw new IllegalArgumentException("model '" + schema.model() + "': generation and version start at 1");
        }
        if (schema.model().contains(SHARD_SEPARATOR)) {
            throw new IllegalArgumentException("model '" + schema.model() + "': a model name cannot contain '"
                    + SHARD_SEPARATOR + "' (it names a sharded model's shards)");
        }
        if (shards != 0) {
            EnsembleShards.check(learnerSpec, schema, shards);
        }
        if (shard < -1 || shard >= Math.max(shards, 0) && shard != -1) {
            throw new IllegalArgumentException("model '" + schema.model() + "': shard " + shard + " of " + shards);
        }
        // Fail at start, not on the first event: build the learner once to check the spec against the schema.
        LearnerFactory.create(learnerSpec, schema);
    }

    public ModelDefinition(FeatureSchema schema, String learnerSpec, AlertRule alertRule, long generation,
            long version) {
        this(schema, learnerSpec, alertRule, generation, version, 0, -1);
    }

    public ModelDefinition(FeatureSchema schema, String learnerSpec, AlertRule alertRule) {
        this(schema, learnerSpec, alertRule, 1, 1);
    }

    /** With the default alert rule: the top 1 % of recent scores. */
    public ModelDefinition(FeatureSchema schema, String learnerSpec) {
        this(schema, learnerSpec, AlertRule.topRate(AlertRule.DEFAULT_RATE));
    }

    /** The name its state is kept and published under: the model's, or {@code model#shard} for a shard. */
    public String name() {
        return shard < 0 ? schema.model() : schema.model() + SHARD_SEPARATOR + shard;
    }

    /** The name of the model (of the shard's model, for a shard's definition). */
    public String model() {
        return schema.model();
    }

    /** True for a sharded model's own definition: its predictions come from its shards' votes. */
    public boolean isSharded() {
        return shards > 0 && shard < 0;
    }

    public boolean isShard() {
        return shard >= 0;
    }

    /** The definition of shard {@code index}'s state. */
    public ModelDefinition shard(int index) {
        if (!isSharded() || index < 0 || index >= shards) {
            throw new IllegalArgumentException("model '" + model() + "' has no shard " + index);
        }
        return new ModelDefinition(schema, learnerSpec, alertRule, generation, version, shards, index);
    }

    /** This definition split into {@code count} shards (0: unsharded). */
    public ModelDefinition withShards(int count) {
        return new ModelDefinition(schema, learnerSpec, alertRule, generation, version, count, -1);
    }

    /**
     * What {@code newer} changes in the learned state's definition (learner, schema, alert rule), one line per
     * change; empty when a model learned under this definition can go on under {@code newer}.
     */
    public List<String> stateChanges(ModelDefinition newer) {
        return DefinitionChanges.between(this, newer);
    }

    /** The same state definition, written once more (e.g. with {@code version} raised). */
    public ModelDefinition withVersion(long newVersion) {
        return new ModelDefinition(schema, learnerSpec, alertRule, generation, newVersion, shards, shard);
    }

    public ModelDefinition withGeneration(long newGeneration) {
        return new ModelDefinition(schema, learnerSpec, alertRule, newGeneration, version, shards, shard);
    }
}

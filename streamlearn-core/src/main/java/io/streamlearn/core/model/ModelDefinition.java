package io.streamlearn.core.model;

import io.streamlearn.core.eval.AlertRule;
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
 */
public record ModelDefinition(FeatureSchema schema, String learnerSpec, AlertRule alertRule, long generation,
        long version) {

    public ModelDefinition {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(learnerSpec, "learner spec");
        Objects.requireNonNull(alertRule, "alert rule");
        if (generation < 1 || version < 1) {
            throw new IllegalArgumentException("model '" + schema.model() + "': generation and version start at 1");
        }
        // Fail at start, not on the first event: build the learner once to check the spec against the schema.
        LearnerFactory.create(learnerSpec, schema);
    }

    public ModelDefinition(FeatureSchema schema, String learnerSpec, AlertRule alertRule) {
        this(schema, learnerSpec, alertRule, 1, 1);
    }

    /** With the default alert rule: the top 1 % of recent scores. */
    public ModelDefinition(FeatureSchema schema, String learnerSpec) {
        this(schema, learnerSpec, AlertRule.topRate(AlertRule.DEFAULT_RATE));
    }

    public String name() {
        return schema.model();
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
        return new ModelDefinition(schema, learnerSpec, alertRule, generation, newVersion);
    }

    public ModelDefinition withGeneration(long newGeneration) {
        return new ModelDefinition(schema, learnerSpec, alertRule, newGeneration, version);
    }
}

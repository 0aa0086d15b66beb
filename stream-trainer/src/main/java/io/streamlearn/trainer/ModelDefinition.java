package io.streamlearn.trainer;

import io.streamlearn.core.eval.AlertRule;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.Objects;

/**
 * A model the trainer learns: its name (the key of its events), its feature schema, its learner spec and, for an
 * anomaly detector, the rule by which a score raises an alert on the {@code anomalies} topic.
 */
public record ModelDefinition(FeatureSchema schema, String learnerSpec, AlertRule alertRule) {

    public ModelDefinition {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(learnerSpec, "learner spec");
        Objects.requireNonNull(alertRule, "alert rule");
        // Fail at start, not on the first event: build the learner once to check the spec against the schema.
        LearnerFactory.create(learnerSpec, schema);
    }

    /** With the default alert rule: the top 1 % of recent scores. */
    public ModelDefinition(FeatureSchema schema, String learnerSpec) {
        this(schema, learnerSpec, AlertRule.topRate(AlertRule.DEFAULT_RATE));
    }

    public String name() {
        return schema.model();
    }
}

package io.streamlearn.trainer;

import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.Objects;

/** A model the trainer learns: its name (the key of its events), its feature schema and its learner spec. */
public record ModelDefinition(FeatureSchema schema, String learnerSpec) {

    public ModelDefinition {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(learnerSpec, "learner spec");
        // Fail at start, not on the first event: build the learner once to check the spec against the schema.
        LearnerFactory.create(learnerSpec, schema);
    }

    public String name() {
        return schema.model();
    }
}

package io.streamlearn.trainer.model;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.trainer.ModelDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A model's checkpoint was written under another learner or schema than the one now configured. Restoring it would
 * feed the learner vectors of another shape (or another learner's bytes), so the trainer refuses to start and says
 * what changed; docs/operations.md says how to start such a model afresh.
 */
public final class IncompatibleCheckpointException extends IllegalStateException {

    private IncompatibleCheckpointException(String message) {
        super(message);
    }

    static void check(ModelDefinition definition, String learnerSpec, FeatureSchema schema) {
        List<String> changes = new ArrayList<>();
        if (!definition.learnerSpec().equals(learnerSpec)) {
            changes.add("learner '" + learnerSpec + "' is now '" + definition.learnerSpec() + "'");
        }
        changes.addAll(differences(schema, definition.schema()));
        if (!changes.isEmpty()) {
            throw new IncompatibleCheckpointException("model '" + definition.name() + "': its checkpoint was "
                    + "trained under another definition (" + String.join("; ", changes) + "). Restore the previous "
                    + "schema and learner, or start the model afresh under a new name or application id "
                    + "(docs/operations.md, \"Changing a model's schema\")");
        }
    }

    private static List<String> differences(FeatureSchema before, FeatureSchema now) {
        List<String> changes = new ArrayList<>();
        if (!before.target().equals(now.target())) {
            changes.add("target " + before.target().name() + " changed");
        }
        Map<String, FeatureSpec> old = byName(before.features());
        Map<String, FeatureSpec> current = byName(now.features());
        old.keySet().stream().filter(name -> !current.containsKey(name))
                .forEach(name -> changes.add("feature " + name + " removed"));
        current.keySet().stream().filter(name -> !old.containsKey(name))
                .forEach(name -> changes.add("feature " + name + " added"));
        old.forEach((name, spec) -> {
            if (current.containsKey(name) && !spec.equals(current.get(name))) {
                changes.add("feature " + name + " changed");
            }
        });
        if (changes.isEmpty() && !before.features().stream().map(FeatureSpec::name).toList()
                .equals(now.features().stream().map(FeatureSpec::name).toList())) {
            changes.add("features reordered");
        }
        if (!Objects.equals(before.transforms(), now.transforms())) {
            changes.add("transforms changed");
        }
        if (changes.isEmpty() && !before.equals(now)) {
            changes.add("schema changed");
        }
        return changes.size() > 10 ? List.of(changes.size() + " schema changes, first " + changes.get(0)) : changes;
    }

    private static Map<String, FeatureSpec> byName(List<FeatureSpec> features) {
        return features.stream().collect(Collectors.toMap(FeatureSpec::name, Function.identity(), (a, b) -> a,
                java.util.LinkedHashMap::new));
    }
}

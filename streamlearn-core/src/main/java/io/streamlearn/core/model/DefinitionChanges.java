package io.streamlearn.core.model;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The differences between two definitions of one model that its learned state cannot follow. */
public final class DefinitionChanges {

    private static final int MAX_LISTED = 10;

    private DefinitionChanges() {
    }

    public static List<String> between(ModelDefinition before, ModelDefinition now) {
        List<String> changes = new ArrayList<>();
        if (!before.learnerSpec().equals(now.learnerSpec())) {
            changes.add("learner '" + before.learnerSpec() + "' is now '" + now.learnerSpec() + "'");
        }
        if (before.shards() != now.shards()) {
            changes.add("shards " + before.shards() + " are now " + now.shards());
        }
        changes.addAll(schemaChanges(before.schema(), now.schema()));
        if (!before.alertRule().equals(now.alertRule())) {
            changes.add("alert rule " + before.alertRule() + " is now " + now.alertRule());
        }
        return changes.size() > MAX_LISTED ? List.of(changes.size() + " changes, first " + changes.get(0)) : changes;
    }

    /** What changed from {@code before} to {@code now}, in words; empty when the two encode events alike. */
    public static List<String> schemaChanges(FeatureSchema before, FeatureSchema now) {
        List<String> changes = new ArrayList<>();
        if (!before.model().equals(now.model())) {
            changes.add("model name '" + before.model() + "' is now '" + now.model() + "'");
        }
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
        return changes;
    }

    private static Map<String, FeatureSpec> byName(List<FeatureSpec> features) {
        return features.stream().collect(Collectors.toMap(FeatureSpec::name, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }
}

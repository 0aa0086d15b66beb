package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The declared features of one model and its target, in learning order. The JSON form is the public contract:
 * {@code {"model": "electricity", "target": {...}, "features": [{...}, ...]}}, optionally with
 * {@code "transforms": [{...}, ...]}, the feature pipeline between the encoded event and the learner. A schema without
 * transforms writes no {@code transforms} field and feeds the learner the encoded features unchanged. An optional
 * {@code "task"} ({@code "anomaly"} or {@code "cluster"}) declares an unsupervised task; without it the task follows
 * from the target. For {@code anomaly} the target is a nominal label of two values, the second naming an anomaly
 * (e.g. {@code ["normal", "anomaly"]}); it is only used to evaluate.
 */
public record FeatureSchema(String model, FeatureSpec target, List<FeatureSpec> features,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TransformSpec> transforms,
        @JsonProperty("task") @JsonInclude(JsonInclude.Include.NON_NULL) Task declaredTask) implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FeatureSchema {
        Objects.requireNonNull(model, "model name");
        Objects.requireNonNull(target, "target");
        features = List.copyOf(features);
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("schema of model '" + model + "' declares no features");
        }
        if (target.type() == FeatureType.TIMESTAMP || target.type() == FeatureType.CATEGORY) {
            throw new IllegalArgumentException("target '" + target.name() + "' cannot be a " + target.type().jsonName());
        }
        var names = new HashSet<String>();
        for (FeatureSpec feature : features) {
            if (!names.add(feature.name())) {
                throw new IllegalArgumentException("feature '" + feature.name() + "' is declared twice");
            }
        }
        if (names.contains(target.name())) {
            throw new IllegalArgumentException("target '" + target.name() + "' is also declared as a feature");
        }
        if (declaredTask == Task.CLASSIFICATION || declaredTask == Task.REGRESSION) {
            Task inferred = target.isNominal() ? Task.CLASSIFICATION : Task.REGRESSION;
            if (declaredTask != inferred) {
                throw new IllegalArgumentException("task " + declaredTask.jsonName() + " does not fit target '"
                        + target.name() + "' of type " + target.type().jsonName());
            }
            declaredTask = null;
        }
        if (declaredTask == Task.ANOMALY && (!target.isNominal() || target.values().size() != 2)) {
            throw new IllegalArgumentException("an anomaly model's target '" + target.name()
                    + "' must be nominal with two values: normal, then anomaly");
        }
    }

    public FeatureSchema(String model, FeatureSpec target, List<FeatureSpec> features,
            List<TransformSpec> transforms) {
        this(model, target, features, transforms, null);
    }

    public FeatureSchema(String model, FeatureSpec target, List<FeatureSpec> features) {
        this(model, target, features, List.of());
    }

    /** The declared task, or the one the target implies: classification for a nominal target, else regression. */
    @JsonIgnore
    public Task task() {
        if (declaredTask != null) {
            return declaredTask;
        }
        return target.isNominal() ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    /** Index of a feature in learning order. */
    public Optional<Integer> indexOf(String featureName) {
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).name().equals(featureName)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    public FeatureSchema withModel(String newModel) {
        return new FeatureSchema(newModel, target, features, transforms, declaredTask);
    }

    public FeatureSchema withTransforms(List<TransformSpec> newTransforms) {
        return new FeatureSchema(model, target, features, newTransforms, declaredTask);
    }

    /** This schema with the task declared; a supervised task must fit the target. */
    public FeatureSchema withTask(Task task) {
        return new FeatureSchema(model, target, features, transforms, task);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FeatureSchema fromJson(String json) {
        try {
            return JSON.readValue(json, FeatureSchema.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid feature schema: " + e.getMessage(), e);
        }
    }

    public static FeatureSchema read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson() + System.lineSeparator());
    }
}

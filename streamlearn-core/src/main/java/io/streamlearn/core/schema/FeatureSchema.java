package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * transforms writes no {@code transforms} field and feeds the learner the encoded features unchanged.
 */
public record FeatureSchema(String model, FeatureSpec target, List<FeatureSpec> features,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TransformSpec> transforms) implements Serializable {

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
    }

    public FeatureSchema(String model, FeatureSpec target, List<FeatureSpec> features) {
        this(model, target, features, List.of());
    }

    @JsonIgnore
    public Task task() {
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
        return new FeatureSchema(newModel, target, features, transforms);
    }

    public FeatureSchema withTransforms(List<TransformSpec> newTransforms) {
        return new FeatureSchema(model, target, features, newTransforms);
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

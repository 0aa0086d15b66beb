package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The declared features of one model and its target, in learning order. The JSON form is the public contract:
 * {@code {"model": "electricity", "target": {...}, "features": [{...}, ...]}}.
 */
public record FeatureSchema(String model, FeatureSpec target, List<FeatureSpec> features) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FeatureSchema {
        Objects.requireNonNull(model, "model name");
        Objects.requireNonNull(target, "target");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("schema of model '" + model + "' declares no features");
        }
        if (target.type() == FeatureType.TIMESTAMP) {
            throw new IllegalArgumentException("target '" + target.name() + "' cannot be a timestamp");
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
        return new FeatureSchema(newModel, target, features);
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

package io.streamlearn.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSchemaTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema("weather",
            FeatureSpec.nominal("play", List.of("yes", "no")),
            List.of(FeatureSpec.numeric("temp"),
                    new FeatureSpec("sky", FeatureType.NOMINAL, List.of("sun", "cloud"), MissingPolicy.DEFAULT, "sun"),
                    new FeatureSpec("at", FeatureType.TIMESTAMP, List.of(), MissingPolicy.MISSING, null)));

    @Test
    void survivesAJsonRoundTrip() {
        assertThat(FeatureSchema.fromJson(SCHEMA.toJson())).isEqualTo(SCHEMA);
    }

    @Test
    void writesNoTransformsFieldWithoutTransformsSoOlderReadersSeeTheSameJson() throws Exception {
        var json = new ObjectMapper().readTree(SCHEMA.toJson());

        assertThat(json.has("transforms")).isFalse();
        assertThat(SCHEMA.transforms()).isEmpty();
    }

    @Test
    void keepsItsTransformsThroughJson() throws Exception {
        FeatureSchema withTransforms = SCHEMA.withTransforms(List.of(TransformSpec.impute("temp", "median", null),
                TransformSpec.clip("temp", 0.01, 0.99), TransformSpec.timestamp("at", List.of("hour", "is_weekend")),
                TransformSpec.derive("temp2", "temp * temp"), TransformSpec.oneHot("sky")));
        var transforms = new ObjectMapper().readTree(withTransforms.toJson()).get("transforms");

        assertThat(FeatureSchema.fromJson(withTransforms.toJson())).isEqualTo(withTransforms);
        assertThat(transforms.get(0).toString()).isEqualTo("{\"type\":\"impute\",\"feature\":\"temp\",\"strategy\":\"median\"}");
        assertThat(transforms.get(3).get("expression").textValue()).isEqualTo("temp * temp");
        assertThat(withTransforms.withModel("w2").transforms()).hasSize(5);
    }

    @Test
    void writesTheDeclaredFieldsOnlyWithTheDefaultUnderTheKeyDefault() throws Exception {
        var sky = new ObjectMapper().readTree(SCHEMA.toJson()).get("features").get(1);

        assertThat(sky.get("default").textValue()).isEqualTo("sun");
        assertThat(sky.has("nominal")).isFalse();
        assertThat(sky.has("defaultValue")).isFalse();
    }

    @Test
    void readsTheDefaultUnderItsJavaNameToo() {
        String json = SCHEMA.toJson().replace("\"default\" :", "\"defaultValue\" :");
        assertThat(json).contains("\"defaultValue\" :");

        assertThat(FeatureSchema.fromJson(json)).isEqualTo(SCHEMA);
    }

    @Test
    void derivesTheTaskFromTheTargetType() {
        assertThat(SCHEMA.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(new FeatureSchema("r", FeatureSpec.numeric("y"), List.of(FeatureSpec.numeric("x"))).task())
                .isEqualTo(Task.REGRESSION);
    }

    @Test
    void refusesAFeatureDeclaredTwiceOrTheTargetAmongTheFeatures() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FeatureSchema("m", FeatureSpec.numeric("y"),
                        List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("x"))))
                .withMessageContaining("declared twice");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FeatureSchema("m", FeatureSpec.numeric("y"), List.of(FeatureSpec.numeric("y"))))
                .withMessageContaining("also declared as a feature");
    }

    @Test
    void reportsAnInvalidSchemaFileAsAnIllegalArgument() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FeatureSchema.fromJson("{\"model\": \"m\", \"target\": {\"name\": \"y\","
                        + " \"type\": \"numeric\"}, \"features\": [{\"name\": \"sky\", \"type\": \"nominal\","
                        + " \"values\": [\"sun\"], \"missing\": \"default\", \"default\": \"fog\"}]}"))
                .withMessageContaining("invalid feature schema");
    }
}

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

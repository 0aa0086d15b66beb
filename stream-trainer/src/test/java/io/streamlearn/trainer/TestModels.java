package io.streamlearn.trainer;

import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** A small synthetic model for trainer tests: the class is "yes" exactly when x > 0. */
public final class TestModels {

    public static final String MODEL = "toy";

    private TestModels() {
    }

    public static FeatureSchema schema() {
        return new FeatureSchema(MODEL, FeatureSpec.nominal("answer", List.of("yes", "no")),
                List.of(FeatureSpec.numeric("x"), FeatureSpec.nominal("color", List.of("red", "blue"))));
    }

    public static ModelDefinition definition(String learnerSpec) {
        return new ModelDefinition(schema(), learnerSpec);
    }

    /** The JSON of event {@code i}, labelled inline when {@code labelled}. */
    public static String event(int i, boolean labelled) {
        Random random = new Random(i);
        double x = random.nextGaussian();
        String color = random.nextBoolean() ? "red" : "blue";
        String label = labelled ? String.format(Locale.ROOT, ",\"label\":\"%s\"", x > 0 ? "yes" : "no") : "";
        return String.format(Locale.ROOT, "{\"id\":\"e%d\",\"ts\":%d,\"model\":\"%s\",\"features\":{\"x\":%s,"
                + "\"color\":\"%s\"}%s}", i, 1_700_000_000_000L + i, MODEL, Double.toString(x), color, label);
    }

    public static String labelOf(int i) {
        double x = new Random(i).nextGaussian();
        return String.format(Locale.ROOT, "{\"id\":\"e%d\",\"label\":\"%s\"}", i, x > 0 ? "yes" : "no");
    }
}

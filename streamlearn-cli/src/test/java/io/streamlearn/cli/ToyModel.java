package io.streamlearn.cli;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The one-feature model {@code toy} that the in-process trainer tests learn: the answer is yes when x > 0. */
final class ToyModel {

    static final String NAME = "toy";

    private ToyModel() {
    }

    static FeatureSchema schema() {
        return new FeatureSchema(NAME, FeatureSpec.nominal("answer", List.of("yes", "no")),
                List.of(FeatureSpec.numeric("x")));
    }

    /** Event {@code i} (id {@code e<i>}), labelled inline; x cycles through 20 values from -1.9 to 1.9. */
    static ProducerRecord<String, String> event(String topic, int i) {
        double x = (i % 20 - 9.5) / 5;
        return new ProducerRecord<>(topic, NAME, String.format(Locale.ROOT,
                "{\"id\":\"e%d\",\"model\":\"toy\",\"features\":{\"x\":%s},\"label\":\"%s\"}", i,
                Double.toString(x), x > 0 ? "yes" : "no"));
    }
}

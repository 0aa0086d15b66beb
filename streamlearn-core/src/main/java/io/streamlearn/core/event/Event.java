package io.streamlearn.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of the {@code events} topic, structurally valid; its features are checked against the model's schema
 * later, by {@link io.streamlearn.core.features.FeatureEncoder}.
 *
 * @param label the inline label, or {@code null} when it comes later on {@code labels}
 */
public record Event(String id, long timestamp, String model, ObjectNode features, JsonNode label) {

    public boolean hasLabel() {
        return label != null && !label.isNull();
    }
}

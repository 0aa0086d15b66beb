package io.streamlearn.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * An event's feature values as the drift monitor takes them, before any schema: a JSON number is numeric
 * ({@code Double}), a string or boolean nominal ({@code String}), {@code null} missing. One definition for the
 * monitor's live events and the retrainer's training rows, so a reference built from either holds the same values.
 */
public final class RawFeatures {

    private RawFeatures() {
    }

    /** @throws InvalidRecordException for a value that is neither a number, a string, a boolean nor null */
    public static Map<String, Object> of(JsonNode features) throws InvalidRecordException {
        Map<String, Object> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = features.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNumber()) {
                values.put(field.getKey(), value.doubleValue());
            } else if (value.isTextual() || value.isBoolean()) {
                values.put(field.getKey(), value.asText());
            } else if (value.isNull()) {
                values.put(field.getKey(), null);
            } else {
                throw new InvalidRecordException(RejectReason.WRONG_TYPE, field.getKey(),
                        "feature '" + field.getKey() + "' is neither a number, a string nor null");
            }
        }
        return values;
    }
}

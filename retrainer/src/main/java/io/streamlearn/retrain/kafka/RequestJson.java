package io.streamlearn.retrain.kafka;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.retrain.run.RetrainRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code retrain-requests}: the drift monitor's shape (docs/drift.md), which the schedule and the admin
 * route also write, with their own {@code reason} and without a drift point.
 */
public final class RequestJson {

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private RequestJson() {
    }

    /**
     * @param key             the record key, the model when the value names none
     * @param recordTimestamp when the request was written
     * @throws IllegalArgumentException when the record is not a request
     */
    public static RetrainRequest decode(String key, byte[] value, long recordTimestamp) {
        JsonNode root;
        try {
            root = value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + EventCodec.describe(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a retrain request must be a JSON object");
        }
        String model = root.path("model").isTextual() ? root.get("model").textValue() : key;
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (JsonNode alert : root.path("alerts")) {
            Map<String, Object> fields = new LinkedHashMap<>();
            alert.fields().forEachRemaining(field -> fields.put(field.getKey(), JSON.convertValue(field.getValue(),
                    Object.class)));
            alerts.add(fields);
        }
        return new RetrainRequest(model, root.path("reason").asText(RetrainRequest.DRIFT),
                root.hasNonNull("partition") ? root.get("partition").asInt() : null,
                root.hasNonNull("fromOffset") ? root.get("fromOffset").asLong() : null,
                root.hasNonNull("fromTime") ? root.get("fromTime").asLong() : null, recordTimestamp, alerts);
    }

    public static byte[] encode(RetrainRequest request) {
        try {
            return JSON.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalStateException("a retrain request could not be written", e);
        }
    }
}

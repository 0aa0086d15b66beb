package io.streamlearn.drift.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code predictions} topic's JSON ({@code PredictionRecord}; the serving layer's adds
 * {@code "source": "serving"}): {@code {"id", "model", "version", "prediction", "scores", "ts", "source"}}.
 */
final class PredictionReader {

    /** The source of a prediction without {@code source}: the trainer's, made once per event before it learns. */
    static final String TRAINER = "trainer";

    /**
     * @param prediction the class (a {@code String}), the value (a {@code Double}) or {@code null} while the learner
     *                   cannot predict yet
     * @param scores     class to score, empty for regression
     */
    record Read(String id, String model, Object prediction, Map<String, Double> scores, long timestamp,
            String source) {
    }

    private final int maxRecordBytes;
    private final ObjectMapper json;

    PredictionReader(int maxRecordBytes, ObjectMapper json) {
        this.maxRecordBytes = maxRecordBytes;
        this.json = json;
    }

    Read read(byte[] bytes, String key, long recordTimestamp) throws InvalidRecordException {
        if (bytes != null && bytes.length > maxRecordBytes) {
            throw new InvalidRecordException(RejectReason.OVERSIZED, null, "prediction of " + bytes.length + " bytes");
        }
        JsonNode root;
        try {
            root = bytes == null ? null : json.readTree(bytes);
        } catch (IOException e) {
            throw EventCodec.unreadable(e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(RejectReason.NOT_AN_OBJECT, null, "prediction is not a JSON object");
        }
        String id = EventCodec.requireId(root);
        JsonNode modelNode = root.get("model");
        String model = modelNode != null && modelNode.isTextual() && !modelNode.textValue().isBlank()
                ? modelNode.textValue() : key;
        if (model == null) {
            throw new InvalidRecordException(RejectReason.MISSING_MODEL, "model", "prediction names no model");
        }
        EventCodec.checkName(model, "model");
        long timestamp = root.has("ts") ? EventCodec.parseTimestamp(root.get("ts"), "ts") : recordTimestamp;
        JsonNode source = root.get("source");
        EventCodec.checkText(root.get("prediction"), "prediction");
        return new Read(id, model, prediction(root.get("prediction")), scores(root.get("scores")), timestamp,
                source != null && source.isTextual() ? source.textValue() : TRAINER);
    }

    private static Object prediction(JsonNode node) throws InvalidRecordException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber() && Double.isFinite(node.doubleValue())) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        throw new InvalidRecordException(RejectReason.WRONG_TYPE, "prediction",
                "'prediction' is neither a class name, a number nor null");
    }

    private static Map<String, Double> scores(JsonNode node) throws InvalidRecordException {
        Map<String, Double> scores = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return scores;
        }
        if (!node.isObject()) {
            throw new InvalidRecordException(RejectReason.WRONG_TYPE, "scores", "'scores' is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> score = it.next();
            EventCodec.checkName(score.getKey(), "scores");
            if (!score.getValue().isNumber()) {
                throw new InvalidRecordException(RejectReason.WRONG_TYPE, "scores", "a score is not a number");
            }
            scores.put(score.getKey(), score.getValue().doubleValue());
        }
        return scores;
    }
}

package io.streamlearn.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.Task;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code predictions} topic's JSON ({@link PredictionRecord}; the serving layer's adds
 * {@code "source": "serving"}): {@code {"id", "model", "version", "prediction", "scores", "ts", "source"}}. The drift
 * monitor watches them; the retrainer scores the online model by them.
 */
public final class PredictionReader {

    /** The source of a prediction without {@code source}: the trainer's, made once per event before it learns. */
    public static final String TRAINER = "trainer";

    /**
     * @param prediction the class (a {@code String}), the value (a {@code Double}) or {@code null} while the learner
     *                   cannot predict yet
     * @param scores     class to score, empty for regression
     */
    public record Read(String id, String model, Object prediction, Map<String, Double> scores, long timestamp,
            String source) {

        /**
         * The prediction as the learner returned it before {@link PredictionRecord#encode} wrote it, for a
         * classification, regression or anomaly model of {@code schema}; {@code null} for a class or a score the
         * schema does not know, and for a cluster model.
         */
        public Prediction asPrediction(FeatureSchema schema) {
            Task task = schema.task();
            if (task == Task.CLUSTER) {
                return null;
            }
            if (task == Task.ANOMALY || !schema.target().isNominal()) {
                if (prediction == null) {
                    return Prediction.none();
                }
                return prediction instanceof Double value
                        ? task == Task.ANOMALY ? Prediction.anomaly(value) : Prediction.regression(value) : null;
            }
            List<String> classes = schema.target().values();
            int predicted = classes.indexOf(prediction);
            if (predicted < 0 || !classes.containsAll(scores.keySet())) {
                return null;
            }
            double[] byClass = new double[classes.size()];
            for (int i = 0; i < byClass.length; i++) {
                byClass[i] = scores.getOrDefault(classes.get(i), 0.0);
            }
            return new Prediction(predicted, byClass);
        }
    }

    private final int maxRecordBytes;
    private final ObjectMapper json;

    public PredictionReader(int maxRecordBytes, ObjectMapper json) {
        this.maxRecordBytes = maxRecordBytes;
        this.json = json;
    }

    public Read read(byte[] bytes, String key, long recordTimestamp) throws InvalidRecordException {
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

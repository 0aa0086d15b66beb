package io.streamlearn.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.eval.AlertRule;
import io.streamlearn.core.schema.FeatureSchema;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of a definitions-topic record, keyed by model name:
 * <pre>{"model": "fraud", "generation": 1, "version": 3, "learner": "trees.HoeffdingTree", "schema": {...},
 *  "settings": {"anomaly.rate": "0.01"}}</pre>
 * A sharded ensemble adds {@code "shards": N} (docs/sharding.md).
 * A deletion is {@code {"model": "fraud", "deleted": true, "generation": 1, "version": 4}}; a tombstone (no value)
 * deletes too. The schema is the one {@code streamlearn schema} writes.
 */
public final class ModelDefinitionCodec {

    /** The per-model settings a definition may carry (the trainer's {@code anomaly.*} keys, for this model only). */
    public static final Set<String> SETTINGS = Set.of("anomaly.threshold", "anomaly.rate");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDefinitionCodec() {
    }

    public static byte[] encode(DefinedModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model.name());
        root.put("generation", model.generation());
        root.put("version", model.version());
        if (model.deleted()) {
            root.put("deleted", true);
        } else {
            ModelDefinition definition = model.definition();
            root.put("learner", definition.learnerSpec());
            if (definition.shards() > 0) {
                root.put("shards", definition.shards());
            }
            try {
                root.set("schema", JSON.readTree(definition.schema().toJson()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            ObjectNode settings = root.putObject("settings");
            AlertRule rule = definition.alertRule();
            if (rule.threshold() != null) {
                settings.put("anomaly.threshold", rule.threshold().toString());
            }
            settings.put("anomaly.rate", Double.toString(rule.rate()));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The record under {@code key}; {@code value} null is a tombstone.
     *
     * @throws IllegalArgumentException when the value is not a valid definition of the model the key names
     */
    public static DefinedModel decode(String key, byte[] value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a model definition needs the model name as its key");
        }
        if (value == null) {
            return DefinedModel.deletion(key, null, 0, 0);
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("definition of model '" + key + "' is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("definition of model '" + key + "' is not a JSON object");
        }
        String name = root.path("model").asText(key);
        if (!name.equals(key)) {
            throw new IllegalArgumentException("definition under key '" + key + "' names model '" + name + "'");
        }
        long generation = root.path("generation").asLong(1);
        long version = root.path("version").asLong(1);
        if (root.path("deleted").asBoolean(false)) {
            return DefinedModel.deletion(name, null, generation, version);
        }
        if (!root.path("learner").isTextual() || !root.path("schema").isObject()) {
            throw new IllegalArgumentException("definition of model '" + key + "' needs \"learner\" and \"schema\"");
        }
        FeatureSchema schema = FeatureSchema.fromJson(root.get("schema").toString());
        if (!schema.model().equals(name)) {
            schema = schema.withModel(name);
        }
        JsonNode shards = root.path("shards");
        if (!shards.isMissingNode() && !shards.canConvertToInt()) {
            throw new IllegalArgumentException("definition of model '" + key + "': \"shards\" must be an integer");
        }
        ModelDefinition definition = new ModelDefinition(schema, root.get("learner").asText(),
                alertRule(name, root.path("settings")), generation, version, shards.asInt(0), -1);
        return DefinedModel.defined(definition);
    }

    private static AlertRule alertRule(String model, JsonNode settings) {
        if (!settings.isMissingNode() && !settings.isObject()) {
            throw new IllegalArgumentException("settings of model '" + model + "' must be an object");
        }
        Double threshold = null;
        double rate = AlertRule.DEFAULT_RATE;
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> setting = it.next();
            if (!SETTINGS.contains(setting.getKey())) {
                throw new IllegalArgumentException("model '" + model + "': unknown setting '" + setting.getKey()
                        + "' (known: " + String.join(", ", SETTINGS.stream().sorted().toList()) + ")");
            }
            try {
                double value = Double.parseDouble(setting.getValue().asText());
                if (setting.getKey().equals("anomaly.threshold")) {
                    threshold = value;
                } else {
                    rate = value;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("model '" + model + "': setting '" + setting.getKey()
                        + "' is not a number", e);
            }
        }
        return new AlertRule(threshold, rate);
    }
}

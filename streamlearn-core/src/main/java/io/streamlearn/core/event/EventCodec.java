package io.streamlearn.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.data.LabeledRow;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes the JSON of the {@code events} and {@code labels} topics. Parsing is strict: duplicate keys, NaN
 * tokens, nesting deeper than {@value #MAX_NESTING_DEPTH} and records over the size limit are rejected with a reason.
 */
public final class EventCodec {

    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    /** A Jackson "(bound as `...`)" clause, or a qualified Java name such as {@code com.fasterxml.jackson.X.y()}. */
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "\\s*\\(bound as `[^`]*`\\)|`?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Za-z_$][\\w$]*(?:\\.\\w+\\(\\))?`?");
    static final int MAX_NESTING_DEPTH = 32;

    private final ObjectMapper json;
    private final ObjectReader treeReader;
    private final int maxRecordBytes;

    public EventCodec() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public EventCodec(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.json = new ObjectMapper(factory);
        this.treeReader = json.readerFor(JsonNode.class);
    }

    public ObjectMapper json() {
        return json;
    }

    /**
     * @param key the record key, the model name by contract; used when the event names no model
     */
    public Event decodeEvent(byte[] bytes, String key, long recordTimestamp) throws InvalidRecordException {
        ObjectNode root = parseObject(bytes);
        String id = requireId(root);
        String model = textOrKey(root, "model", key);
        if (model == null) {
            throw new InvalidRecordException(RejectReason.MISSING_MODEL, "model", "event names no model and has no key");
        }
        long timestamp = root.has("ts") ? parseTimestamp(root.get("ts"), "ts") : recordTimestamp;
        JsonNode features = root.get("features");
        if (features == null || !features.isObject()) {
            throw new InvalidRecordException(RejectReason.MISSING_FEATURES, "features",
                    "event has no 'features' object");
        }
        return new Event(id, timestamp, model, (ObjectNode) features, root.get("label"));
    }

    public Label decodeLabel(byte[] bytes, String key) throws InvalidRecordException {
        ObjectNode root = parseObject(bytes);
        String id = requireId(root);
        JsonNode label = root.get("label");
        if (label == null || label.isNull()) {
            throw new InvalidRecordException(RejectReason.MISSING_LABEL, "label", "label record has no 'label'");
        }
        String model = textOrKey(root, "model", key);
        if (model == null) {
            throw new InvalidRecordException(RejectReason.MISSING_MODEL, "model", "label names no model and has no key");
        }
        return new Label(id, model, label);
    }

    /** The JSON an event producer writes for one dataset row. */
    public byte[] encodeEvent(String id, long timestamp, String model, LabeledRow row) {
        ObjectNode root = json.createObjectNode();
        root.put("id", id);
        root.put("ts", timestamp);
        root.put("model", model);
        ObjectNode features = root.putObject("features");
        for (Map.Entry<String, Object> feature : row.features().entrySet()) {
            features.set(feature.getKey(), json.valueToTree(feature.getValue()));
        }
        if (row.label() != null) {
            root.set("label", json.valueToTree(row.label()));
        }
        return write(root);
    }

    public byte[] encodeLabel(String id, String model, Object label) {
        ObjectNode root = json.createObjectNode();
        root.put("id", id);
        root.put("model", model);
        root.set("label", json.valueToTree(label));
        return write(root);
    }

    public byte[] write(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    /** Epoch milliseconds from a JSON number or an ISO-8601 instant. */
    public static long parseTimestamp(JsonNode node, String field) throws InvalidRecordException {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new InvalidRecordException(RejectReason.BAD_TIMESTAMP, field,
                        "'" + field + "' is not an ISO-8601 instant: " + abbreviate(node.textValue()));
            }
        }
        throw new InvalidRecordException(RejectReason.BAD_TIMESTAMP, field,
                "'" + field + "' must be epoch milliseconds or an ISO-8601 string");
    }

    private ObjectNode parseObject(byte[] bytes) throws InvalidRecordException {
        if (bytes == null) {
            throw new InvalidRecordException(RejectReason.MALFORMED_JSON, null, "record has no value");
        }
        if (bytes.length > maxRecordBytes) {
            throw new InvalidRecordException(RejectReason.OVERSIZED, null,
                    "record of " + bytes.length + " bytes exceeds the limit of " + maxRecordBytes);
        }
        JsonNode root;
        try {
            root = treeReader.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidRecordException(RejectReason.MALFORMED_JSON, null, describe(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidRecordException(RejectReason.MALFORMED_JSON, null, "record is empty");
        }
        if (!root.isObject()) {
            throw new InvalidRecordException(RejectReason.NOT_AN_OBJECT, null, "record is not a JSON object");
        }
        return (ObjectNode) root;
    }

    private static String requireId(ObjectNode root) throws InvalidRecordException {
        JsonNode id = root.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            throw new InvalidRecordException(RejectReason.MISSING_ID, "id", "record has no non-empty 'id'");
        }
        return id.asText();
    }

    private static String textOrKey(ObjectNode root, String field, String key) throws InvalidRecordException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return key;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw new InvalidRecordException(RejectReason.MISSING_MODEL, field, "'" + field + "' must be a non-empty string");
        }
        return node.textValue();
    }

    /**
     * What went wrong in a JSON parse, fit to show a client or put in a dead-letter header: Jackson's message without
     * its source location, its configuration class names or the Java types it binds to (found by fuzzing the server).
     */
    public static String describe(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "not valid JSON";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        line = JAVA_NAMES.matcher(line).replaceAll("");
        return abbreviate(line.isBlank() ? "not valid JSON" : line.strip());
    }

    public static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}

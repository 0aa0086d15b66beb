package io.streamlearn.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.data.LabeledRow;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
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

    /**
     * {@code max.record.bytes} unless set: below Kafka's default record limit (1,048,588) by enough for a dead-letter
     * copy's headers, so what the trainer sets aside always fits the dead-letter topic. The trainer, the drift monitor
     * and every reader of {@code events} refuse the same records.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;
    /** A Jackson "(bound as `...`)" clause, or a qualified Java name such as {@code com.fasterxml.jackson.X.y()}. */
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "\\s*\\(bound as `[^`]*`\\)|`?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Za-z_$][\\w$]*(?:\\.\\w+\\(\\))?`?");
    static final int MAX_NESTING_DEPTH = 32;
    /**
     * The longest id, model name, feature name or source name a record may carry. Names become store keys, metric
     * tags and windows downstream; a bound here keeps one record from creating unbounded state.
     */
    public static final int MAX_NAME_CHARS = 256;
    /**
     * The longest text value (a nominal value or a class label). Far above any real category, and far below what
     * state codecs built on {@code DataOutput.writeUTF} (64 KiB) can hold.
     */
    public static final int MAX_TEXT_CHARS = 4096;

    private final ObjectMapper json;
    private final ObjectReader treeReader;
    private final int maxRecordBytes;

    public EventCodec() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public EventCodec(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        // FastDoubleParser, correctly rounded like Double.parseDouble (the same values): Double.parseDouble was a
        // sixth of the drift monitor's JSON parsing in bench-drift, as it was of a batch request's (RequestBody).
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
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
        checkName(model, "model");
        JsonNode features = root.get("features");
        if (features == null || !features.isObject()) {
            throw new InvalidRecordException(RejectReason.MISSING_FEATURES, "features",
                    "event has no 'features' object");
        }
        for (var feature = features.fields(); feature.hasNext(); ) {
            var entry = feature.next();
            checkName(entry.getKey(), "features");
            checkText(entry.getValue(), entry.getKey());
        }
        JsonNode label = root.get("label");
        checkText(label, "label");
        return new Event(id, timestamp, model, (ObjectNode) features, label);
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
        checkName(model, "model");
        checkText(label, "label");
        return new Label(id, model, label);
    }

    /**
     * The JSON an event producer writes for one dataset row, streamed (no tree): a replay writes one per event, beside
     * the trainer on the same cores in the demo.
     */
    public byte[] encodeEvent(String id, long timestamp, String model, LabeledRow row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * row.features().size());
        try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("id", id);
            out.writeNumberField("ts", timestamp);
            out.writeStringField("model", model);
            out.writeObjectFieldStart("features");
            for (Map.Entry<String, Object> feature : row.features().entrySet()) {
                out.writeFieldName(feature.getKey());
                writeValue(out, feature.getValue());
            }
            out.writeEndObject();
            if (row.label() != null) {
                out.writeFieldName("label");
                writeValue(out, row.label());
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A row's value as the tree would have written it: numbers and text directly, anything else by the mapper. */
    private void writeValue(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof Double number) {
            out.writeNumber(number);
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Long || value instanceof Integer) {
            out.writeNumber(((Number) value).longValue());
        } else {
            json.writeValue(out, value);
        }
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
            throw unreadable(e);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidRecordException(RejectReason.MALFORMED_JSON, null, "record is empty");
        }
        if (!root.isObject()) {
            throw new InvalidRecordException(RejectReason.NOT_AN_OBJECT, null, "record is not a JSON object");
        }
        return (ObjectNode) root;
    }

    /** The record's {@code id}: a non-empty string of at most {@link #MAX_NAME_CHARS} characters, or an integer. */
    public static String requireId(JsonNode root) throws InvalidRecordException {
        JsonNode id = root.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            throw new InvalidRecordException(RejectReason.MISSING_ID, "id", "record has no non-empty 'id'");
        }
        String text = id.asText();
        checkName(text, "id");
        return text;
    }

    /** Refuses a name (id, model, feature, source) longer than {@link #MAX_NAME_CHARS}. */
    public static void checkName(String name, String field) throws InvalidRecordException {
        if (name != null && name.length() > MAX_NAME_CHARS) {
            throw new InvalidRecordException(RejectReason.TOO_LONG, field, "'" + field + "' has a name of "
                    + name.length() + " characters; at most " + MAX_NAME_CHARS + " are allowed: "
                    + abbreviate(name));
        }
    }

    /** Refuses a text value (a nominal value, a class label) longer than {@link #MAX_TEXT_CHARS}. */
    public static void checkText(JsonNode value, String field) throws InvalidRecordException {
        if (value != null && value.isTextual() && value.textValue().length() > MAX_TEXT_CHARS) {
            throw new InvalidRecordException(RejectReason.TOO_LONG, field, "'" + abbreviate(field) + "' has a value of "
                    + value.textValue().length() + " characters; at most " + MAX_TEXT_CHARS + " are allowed");
        }
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
     * Why a record's JSON could not be read: {@code too_long} where Jackson's own bounds refused a name (over 50,000
     * characters) or a string, else {@code malformed_json} (nesting deeper than {@value #MAX_NESTING_DEPTH} included).
     */
    public static InvalidRecordException unreadable(IOException e) {
        boolean tooLong = e instanceof StreamConstraintsException constraint && constraint.getOriginalMessage() != null
                && constraint.getOriginalMessage().contains("length");
        return new InvalidRecordException(tooLong ? RejectReason.TOO_LONG : RejectReason.MALFORMED_JSON, null,
                describe(e));
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

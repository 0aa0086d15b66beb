package io.streamlearn.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of the topics' records, read from {@code docs/contracts/schemas/} (the files users validate their
 * producers with), for tests that hold real records to them.
 */
public final class RecordSchemas {

    /** The record kinds, by file name under docs/contracts/schemas (without {@code .schema.json}). */
    public static final String EVENT = "event";
    public static final String LABEL = "label";
    public static final String PREDICTION = "prediction";
    public static final String DRIFT_ALERT = "drift-alert";
    public static final String RETRAIN_REQUEST = "retrain-request";
    public static final String TRAINING_RUN = "training-run";
    public static final String MODEL_DEFINITION = "model-definition";

    private final Path directory;
    private final Map<String, Validator> validators = new ConcurrentHashMap<>();

    private RecordSchemas(Path directory) {
        this.directory = directory;
    }

    /** Finds docs/contracts/schemas above the working directory (a module's directory under Maven). */
    public static RecordSchemas fromDocs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path schemas = dir.resolve("docs/contracts/schemas");
            if (Files.isDirectory(schemas)) {
                return new RecordSchemas(schemas);
            }
        }
        throw new IllegalStateException("no docs/contracts/schemas above " + Path.of("").toAbsolutePath());
    }

    /** The validation of one record value against the schema of {@code kind}. */
    public OutputUnit validate(String kind, byte[] value) {
        Object record = Json.decodeValue(new String(value, StandardCharsets.UTF_8));
        return validators.computeIfAbsent(kind, this::validator).validate(record);
    }

    public void assertValid(String kind, byte[] value) {
        OutputUnit result = validate(kind, value);
        assertThat(result.getValid()).as("a real %s record %s does not match docs/contracts/schemas/%s.schema.json: %s",
                kind, new String(value, StandardCharsets.UTF_8), kind, result.getErrors()).isTrue();
    }

    public void assertInvalid(String kind, String json) {
        assertThat(validate(kind, json.getBytes(StandardCharsets.UTF_8)).getValid())
                .as("the %s schema refuses %s", kind, json).isFalse();
    }

    private Validator validator(String kind) {
        try {
            JsonObject schema = new JsonObject(Files.readString(directory.resolve(kind + ".schema.json")));
            return Validator.create(JsonSchema.of(schema), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                    .setBaseUri(schema.getString("$id")).setOutputFormat(OutputFormat.Basic));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of every served prediction: the caller's (a non-empty string or an integer, as event ids are, of at most
 * {@value #MAX_LENGTH} characters) so a label can follow it, else a random UUID.
 */
final class PredictionIds {

    /**
     * The longest id a client may choose. Ids become Kafka record values and keys of the trainer's and the monitor's
     * held-label and pending stores, so an unbounded id is unbounded state; 256 holds any UUID, URN or composite key.
     */
    static final int MAX_LENGTH = 256;

    private PredictionIds() {
    }

    /** @param id the request's id field, absent or {@code null} for a generated one */
    static String of(JsonNode id, String field) {
        if (id == null || id.isNull()) {
            return generated();
        }
        if ((id.isTextual() || id.isIntegralNumber()) && !id.asText().isBlank()) {
            String text = id.asText();
            if (text.length() > MAX_LENGTH) {
                throw new ApiError(400, "invalid_request", "'" + field + "' may hold at most " + MAX_LENGTH
                        + " characters, got " + text.length(), field);
            }
            return text;
        }
        throw new ApiError(400, "invalid_request", "'" + field + "' must be a non-empty string or an integer",
                field);
    }

    /** One id per instance, from the {@code ids} array when given (as long as the batch), else generated. */
    static List<String> ofBatch(JsonNode ids, int size) {
        if (ids != null && !ids.isNull() && (!ids.isArray() || ids.size() != size)) {
            throw new ApiError(400, "invalid_request", "'ids' must be an array with one id per instance", "ids");
        }
        List<String> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(of(ids == null ? null : ids.get(i), "ids"));
        }
        return batch;
    }

    /**
     * The ids of an inference request's instances: its id for a single instance, {@code <id>:<i>} for instance
     * {@code i} of a batch.
     */
    static List<String> ofInference(String id, int size) {
        if (size == 1) {
            return List.of(id);
        }
        List<String> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(id + ":" + i);
        }
        return batch;
    }

    /**
     * A version-4 (random) UUID from the thread's own generator. {@link UUID#randomUUID()} draws from one shared
     * {@code SecureRandom}, which costs about a microsecond per id under contention, a tenth of a batch request's time
     * at 100 instances; ids need to be unique, not unpredictable.
     */
    static String generated() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}

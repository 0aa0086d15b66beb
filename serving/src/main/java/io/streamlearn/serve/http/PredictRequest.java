package io.streamlearn.serve.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.serve.ServedModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The instances of a {@code POST /v1/models/{name}/predict} body, encoded for the model, with one id each. The body
 * holds either {@code "features"} (one instance, with an optional {@code "id"}) or {@code "instances"} (an array of
 * feature objects, with optional {@code "ids"}, at most the configured maximum).
 *
 * <p>Two readers, one answer. {@link #streamed} reads the body in one pass with Jackson's streaming parser straight
 * into feature vectors: no JSON tree, no feature object per instance, whose building cost more than predicting a
 * Hoeffding tree's batch (docs/benchmarks.md, serving). It accepts plain valid requests only: on anything else
 * (malformed JSON, a duplicate key, a field other than the four it reads, trailing content, a wrong shape, an invalid
 * id, a batch over the maximum, a feature the encoder refuses) it gives up, and {@link #parsed} reads the body as a
 * tree and answers it, or names the fault. Errors are thus
 * defined once, in the tree reader, in its order: malformed JSON, then the request's shape, then ids, then the first
 * bad instance and feature. {@code PredictRequestTest} holds the two readers to the same result on valid bodies.
 *
 * @param batch whether the body held {@code "instances"} rather than {@code "features"}
 * @param ids   one id per instance, given or generated as {@link PredictionIds} does
 * @param rows  the encoded instances, in request order
 */
record PredictRequest(boolean batch, List<String> ids, List<double[]> rows) {

    /**
     * @throws ApiError 400 naming the fault, or 413 {@code too_many_instances}
     */
    static PredictRequest read(byte[] body, FeatureEncoder encoder, int maxBatchInstances) {
        PredictRequest request = streamed(body, encoder, maxBatchInstances);
        return request != null ? request : parsed(RequestBody.parseObject(body), encoder, maxBatchInstances);
    }

    /** @return the request, or {@code null} when the body is not a valid request and {@link #parsed} must say why */
    static PredictRequest streamed(byte[] body, FeatureEncoder encoder, int maxBatchInstances) {
        try (JsonParser parser = RequestBody.createStreamingParser(body)) {
            return streamed(parser, encoder, maxBatchInstances);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @throws ApiError 400 naming the fault, or 413 {@code too_many_instances} */
    static PredictRequest parsed(ObjectNode request, FeatureEncoder encoder, int maxBatchInstances) {
        JsonNode features = request.get("features");
        JsonNode instances = request.get("instances");
        if (features != null && instances != null) {
            throw ApiError.badRequest("invalid_request", "give either 'features' or 'instances', not both");
        }
        try {
            if (instances == null) {
                List<String> ids = List.of(PredictionIds.of(request.get("id"), "id"));
                return new PredictRequest(false, ids, List.of(encoder.encodeFeatures(featuresOf(features))));
            }
            List<ObjectNode> batch = instancesOf(instances, maxBatchInstances);
            List<String> ids = PredictionIds.ofBatch(request.get("ids"), batch.size());
            List<double[]> rows = new ArrayList<>(batch.size());
            for (ObjectNode instance : batch) {
                try {
                    rows.add(encoder.encodeFeatures(instance));
                } catch (InvalidRecordException e) {
                    throw ServedModel.atInstance(rows.size(), e);
                }
            }
            return new PredictRequest(true, ids, rows);
        } catch (InvalidRecordException e) {
            throw ApiError.invalidFeatures(e);
        }
    }

    /** The single instance of a body with {@code "features"}; shared with the explain route. */
    static ObjectNode featuresOf(JsonNode features) {
        if (features == null || !features.isObject()) {
            throw ApiError.badRequest(RejectReason.MISSING_FEATURES.code(),
                    "the body must hold a 'features' object or an 'instances' array");
        }
        return (ObjectNode) features;
    }

    /** The instances of a body with {@code "instances"}; shared with the explain route. */
    static List<ObjectNode> instancesOf(JsonNode instances, int maxBatchInstances) {
        if (!instances.isArray() || instances.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "'instances' must be a non-empty array of feature objects");
        }
        if (instances.size() > maxBatchInstances) {
            throw ApiError.tooManyInstances(maxBatchInstances, instances.size());
        }
        List<ObjectNode> batch = new ArrayList<>(instances.size());
        for (JsonNode instance : instances) {
            if (!instance.isObject()) {
                throw ApiError.badRequest("invalid_request", "instance " + batch.size() + " is not a JSON object");
            }
            batch.add((ObjectNode) instance);
        }
        return batch;
    }

    private static PredictRequest streamed(JsonParser parser, FeatureEncoder encoder, int maxBatchInstances)
            throws IOException {
        expect(parser.nextToken() == JsonToken.START_OBJECT);
        double[] features = null;
        List<double[]> instances = null;
        String id = null;
        List<String> ids = null;
        // The parser does not detect repeated keys (RequestBody.createStreamingParser): a repeated field, like a field
        // of any other name, whose content this reader would not look into, is left to the tree path.
        Set<String> fields = new HashSet<>(4);
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            expect(fields.add(field));
            JsonToken value = parser.nextToken();
            switch (field) {
                case "features" -> features = encoded(parser, encoder);
                case "instances" -> instances = instances(parser, value, encoder, maxBatchInstances);
                case "id" -> id = id(parser, value);
                case "ids" -> ids = ids(parser, value);
                default -> expect(false);
            }
        }
        expect(parser.nextToken() == null && (features == null) != (instances == null));
        if (features != null) {
            return new PredictRequest(false, List.of(id == null ? PredictionIds.generated() : id),
                    List.of(features));
        }
        expect(ids == null || ids.size() == instances.size());
        List<String> batchIds = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            String given = ids == null ? null : ids.get(i);
            batchIds.add(given == null ? PredictionIds.generated() : given);
        }
        return new PredictRequest(true, batchIds, instances);
    }

    private static double[] encoded(JsonParser parser, FeatureEncoder encoder) throws IOException {
        double[] row = encoder.tryEncodeFeatures(parser);
        expect(row != null);
        return row;
    }

    private static List<double[]> instances(JsonParser parser, JsonToken value, FeatureEncoder encoder,
            int maxBatchInstances) throws IOException {
        expect(value == JsonToken.START_ARRAY);
        List<double[]> instances = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            expect(instances.size() < maxBatchInstances);
            instances.add(encoded(parser, encoder));
        }
        expect(!instances.isEmpty());
        return instances;
    }

    private static List<String> ids(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(value == JsonToken.START_ARRAY);
        List<String> ids = new ArrayList<>();
        for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
            ids.add(id(parser, element));
        }
        return ids;
    }

    /**
     * An id as {@link PredictionIds#of} reads it: {@code null} for a generated one. Anything else it would refuse
     * (a blank or overlong string, a fraction, an object) goes to the tree path, which refuses it only where the id is used.
     */
    private static String id(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            expect(!text.isBlank() && text.length() <= PredictionIds.MAX_LENGTH);
            return text;
        }
        expect(token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER);
        return Long.toString(parser.getLongValue());
    }

    private static void expect(boolean condition) {
        if (!condition) {
            throw TreePathDecides.INSTANCE;
        }
    }

    /** Control flow back to the tree path: no stack trace, one shared instance. */
    private static final class TreePathDecides extends RuntimeException {

        private static final long serialVersionUID = 1L;
        static final TreePathDecides INSTANCE = new TreePathDecides();

        private TreePathDecides() {
            super("the tree path decides", null, false, false);
        }
    }
}

package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.schema.Task;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.streamlearn.serve.protocol.BinaryTensorData;
import io.streamlearn.serve.protocol.InvalidTensorException;
import io.streamlearn.serve.protocol.ModelSignature;
import io.streamlearn.serve.protocol.TensorDatatype;
import io.streamlearn.serve.protocol.TensorInstances;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /v2/models/{name}[/versions/{version}]/infer}, the Open Inference Protocol's inference request: input
 * tensors in (see {@link TensorInstances}), the requested output tensors out, all of them when the request names
 * none (see {@link ModelSignature}). Large bodies are parsed and predicted on a worker thread (see {@link PredictionWork}).
 */
final class InferHandler implements Handler<RoutingContext> {

    /** The binary tensor data extension's header: the length of the JSON object the binary data follow. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    static final String BINARY_CONTENT_TYPE = "application/octet-stream";

    private final ModelLookup lookup;
    private final RequestMetrics metrics;
    private final Feedback feedback;
    private final int maxBatchInstances;

    InferHandler(ModelLookup lookup, RequestMetrics metrics, Feedback feedback, int maxBatchInstances) {
        this.lookup = lookup;
        this.metrics = metrics;
        this.feedback = feedback;
        this.maxBatchInstances = maxBatchInstances;
    }

    @Override
    public void handle(RoutingContext context) {
        ServedModel model = lookup.model(context);
        PredictionWork.run(context, () -> infer(context, model));
    }

    private void infer(RoutingContext context, ServedModel model) {
        byte[] body = RequestBody.bytes(context);
        int jsonLength = jsonLength(context, body.length);
        BinaryTensorData binary = jsonLength == body.length ? null
                : new BinaryTensorData(ByteBuffer.wrap(body, jsonLength, body.length - jsonLength));
        ObjectNode request = RequestBody.parseObject(jsonLength == body.length ? body
                : Arrays.copyOf(body, jsonLength));
        Set<String> outputs = requestedOutputs(model, request.get("outputs"));
        List<JsonNode[]> instances;
        try {
            instances = TensorInstances.decodeRows(model.schema(), request.get("inputs"), binary, maxBatchInstances);
        } catch (InvalidTensorException e) {
            int status = e.code().equals(InvalidTensorException.TOO_MANY_INSTANCES) ? 413 : 400;
            throw new ApiError(status, e.code(), e.getMessage(), e.field());
        }
        if (instances.size() > maxBatchInstances) {
            throw ApiError.tooManyInstances(maxBatchInstances, instances.size());
        }
        String id = PredictionIds.of(request.get("id"), "id");
        answer(context, model, id, instances, outputs);
    }

    private void answer(RoutingContext context, ServedModel model, String id, List<JsonNode[]> instances,
            Set<String> outputs) {
        List<ServedPrediction> predictions;
        try {
            predictions = instances.isEmpty() ? List.of() : model.predictRows(instances);
        } catch (InvalidRecordException e) {
            throw ApiError.invalidFeatures(e);
        }
        ObjectNode response = JsonReply.object()
                .put("model_name", model.name())
                .put("model_version", Long.toString(model.version()));
        response.put("id", id);
        ArrayNode tensors = response.putArray("outputs");
        if (outputs.contains(ModelSignature.PREDICT)) {
            writePredict(model, predictions, tensors.addObject());
        }
        if (outputs.contains(ModelSignature.SCORES)) {
            writeScores(model, predictions, tensors.addObject());
        }
        JsonReply.send(context, 200, response);
        feedback.served(model, PredictionIds.ofInference(id, predictions.size()), predictions,
                System.currentTimeMillis());
        metrics.recordPredictions(model, predictions);
    }

    /**
     * The length of the body's JSON object: the whole body, or in the binary tensor data extension the
     * {@value #HEADER_LENGTH} header's value, the binary tensor data following it.
     */
    private static int jsonLength(RoutingContext context, int bodyLength) {
        String header = context.request().getHeader(HEADER_LENGTH);
        if (header == null) {
            String type = context.request().getHeader("Content-Type");
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith(BINARY_CONTENT_TYPE)) {
                throw new ApiError(400, "invalid_request", "a " + BINARY_CONTENT_TYPE + " inference request needs an "
                        + HEADER_LENGTH + " header giving the length of its JSON part", HEADER_LENGTH);
            }
            return bodyLength;
        }
        int length;
        try {
            length = Integer.parseInt(header.strip());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length <= 0 || length > bodyLength) {
            throw new ApiError(400, "invalid_request", HEADER_LENGTH + " must be the length of the JSON part of the "
                    + "body, between 1 and " + bodyLength + ", got '" + EventCodec.abbreviate(header) + "'",
                    HEADER_LENGTH);
        }
        return length;
    }

    /** The outputs named by the request, in the model's order; every output when the request names none. */
    private static Set<String> requestedOutputs(ServedModel model, JsonNode outputs) {
        Set<String> all = new LinkedHashSet<>();
        ModelSignature.outputs(model.schema()).forEach(output -> all.add(output.name()));
        if (outputs == null || outputs.isNull()) {
            return all;
        }
        if (!outputs.isArray()) {
            throw ApiError.badRequest("invalid_request", "'outputs' must be an array of {\"name\": ...} objects");
        }
        Set<String> requested = new LinkedHashSet<>();
        for (JsonNode output : outputs) {
            JsonNode name = output.get("name");
            if (name == null || !name.isTextual()) {
                throw ApiError.badRequest("invalid_request", "every requested output needs a 'name'");
            }
            if (!all.contains(name.textValue())) {
                throw new ApiError(400, "unknown_output", "model '" + model.name() + "' has no output '"
                        + name.textValue() + "'; its outputs are " + all, "outputs");
            }
            requested.add(name.textValue());
        }
        all.retainAll(requested);
        return all;
    }

    private static void writePredict(ServedModel model, List<ServedPrediction> predictions, ObjectNode tensor) {
        boolean classification = model.schema().task() == Task.CLASSIFICATION;
        tensor.put("name", ModelSignature.PREDICT)
                .put("datatype", (classification ? TensorDatatype.BYTES : TensorDatatype.FP64).name());
        tensor.putArray("shape").add(predictions.size());
        ArrayNode data = tensor.putArray("data");
        for (ServedPrediction prediction : predictions) {
            if (prediction.prediction() instanceof Number value) {
                data.add(value.doubleValue());
            } else if (prediction.prediction() == null) {
                data.add(Double.NaN);
            } else {
                data.add(String.valueOf(prediction.prediction()));
            }
        }
    }

    private static void writeScores(ServedModel model, List<ServedPrediction> predictions, ObjectNode tensor) {
        List<String> classes = model.schema().target().values();
        tensor.put("name", ModelSignature.SCORES).put("datatype", TensorDatatype.FP64.name());
        tensor.putArray("shape").add(predictions.size()).add(classes.size());
        ArrayNode data = tensor.putArray("data");
        for (ServedPrediction prediction : predictions) {
            for (String label : classes) {
                data.add(prediction.scores().getOrDefault(label, 0.0));
            }
        }
    }
}

package io.streamlearn.serve.http;

import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import java.util.List;

/**
 * A {@code /v1} predict body read, and its answer written, exactly as {@link PredictHandler} does, without HTTP: the
 * public seam through which bench's {@code PredictRequestBenchmark} measures what the request's JSON costs, so the
 * benchmark stays out of this package and the reader and writer stay package-private.
 */
public final class PredictBody {

    private final PredictRequest request;

    private PredictBody(PredictRequest request) {
        this.request = request;
    }

    /**
     * Reads as the handler does: the streaming reader, or the tree reader when it gives up.
     *
     * @throws ApiError 400 naming the fault, or 413 {@code too_many_instances}
     */
    public static PredictBody read(byte[] body, FeatureEncoder encoder, int maxBatchInstances) {
        return new PredictBody(PredictRequest.read(body, encoder, maxBatchInstances));
    }

    /** Whether the streaming reader alone reads {@code body} (the fast path the benchmark means to measure). */
    public static boolean streams(byte[] body, FeatureEncoder encoder, int maxBatchInstances) {
        return PredictRequest.streamed(body, encoder, maxBatchInstances) != null;
    }

    /** The encoded instances, in request order. */
    public List<double[]> rows() {
        return request.rows();
    }

    /** The answer's bytes for {@code predictions} of {@link #rows}, as the handler writes them. */
    public byte[] answer(ServedModel model, List<ServedPrediction> predictions) {
        return JsonReply.bytes(json -> PredictHandler.writeAnswer(json, model, request.ids(), predictions,
                request.batch()));
    }
}

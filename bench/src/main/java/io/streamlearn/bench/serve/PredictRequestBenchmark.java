package io.streamlearn.bench.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.bench.PredictBenchmark;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.http.PredictBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@code /v1} batch request's work on the server without HTTP: the body's bytes in, the answer's bytes out, on the
 * model and the 100 Electricity rows of {@link PredictBenchmark} and {@code bench-serving}. Compared with
 * {@code PredictBenchmark.servedModelBatch100} (the in-process rate) it shows what the request's JSON costs, apart from
 * what the network, Vert.x and the load generator cost. It reaches the handler's own reader and writer through
 * serving's {@link PredictBody}. Figures are per instance.
 *
 * <ul>
 *   <li>{@code requestBatch100}: read the body (streamed, {@link PredictBody}), predict, write the answer;</li>
 *   <li>{@code readBatch100}: read the body only;</li>
 *   <li>{@code writeBatch100}: write the answer only, from predictions made beforehand.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PredictRequestBenchmark {

    private static final int BATCH = 100;
    private static final int MAX_BATCH = 1000;

    private ServedModel model;
    private byte[] body;
    private PredictBody request;
    private List<ServedPrediction> predictions;

    @Setup
    public void setUp() throws IOException {
        Dataset dataset = Dataset.read(PredictBenchmark.bundledElectricity(), "electricity", null);
        model = ServedModel.restore(ModelSnapshotCodec.decode(ModelSnapshotCodec.encode(
                ModelSnapshot.trainedOn(dataset, "trees.HoeffdingTree", 0))));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode instances = root.putArray("instances");
        for (int i = 0; i < BATCH; i++) {
            instances.add(json.valueToTree(dataset.rows().get(i).features()));
        }
        body = root.toString().getBytes(StandardCharsets.UTF_8);
        if (!PredictBody.streams(body, model.encoder(), MAX_BATCH)) {
            throw new IllegalStateException("the benchmark body does not take the streaming path");
        }
        request = PredictBody.read(body, model.encoder(), MAX_BATCH);
        predictions = model.predictEncoded(request.rows());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] requestBatch100() {
        PredictBody read = PredictBody.read(body, model.encoder(), MAX_BATCH);
        return read.answer(model, model.predictEncoded(read.rows()));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public PredictBody readBatch100() {
        return PredictBody.read(body, model.encoder(), MAX_BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] writeBatch100() {
        return request.answer(model, predictions);
    }
}

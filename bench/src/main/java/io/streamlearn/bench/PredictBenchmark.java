package io.streamlearn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 * The in-process predict path of the prediction server, the baseline of issue #3's batch target: a Hoeffding tree
 * trained on all of Electricity in file order (the model the demo ends with, as {@code bench-serving} serves it),
 * restored from its snapshot. Every figure is per instance ({@code ops/s} = instances per second):
 *
 * <ul>
 *   <li>{@code servedModelBatch100}: {@link ServedModel#predictAll} of 100 parsed JSON instances, what
 *       {@code bench-serving} calls the in-process rate: encode, predict under the model's lock, class names and
 *       scores;</li>
 *   <li>{@code servedModelSingle}: {@link ServedModel#predict} of one instance, as a single request does;</li>
 *   <li>{@code encodeAndPredictBatch100}: feature encoding and the tree, nothing else;</li>
 *   <li>{@code treeOnlyBatch100}: the tree on vectors encoded beforehand.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PredictBenchmark {

    private static final int BATCH = 100;

    private ServedModel model;
    private OnlineLearner learner;
    private FeatureEncoder encoder;
    private List<ObjectNode> instances;
    private List<double[]> encoded;
    private int next;

    @Setup
    public void setUp() throws IOException, InvalidRecordException {
        Dataset dataset = Dataset.read(bundledElectricity(), "electricity", null);
        ModelSnapshot snapshot = ModelSnapshotCodec.decode(ModelSnapshotCodec.encode(
                ModelSnapshot.trainedOn(dataset, "trees.HoeffdingTree", 0)));
        model = ServedModel.restore(snapshot);
        learner = snapshot.restoreLearner();
        encoder = new FeatureEncoder(dataset.schema());
        ObjectMapper json = new ObjectMapper();
        instances = new ArrayList<>(BATCH);
        encoded = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            ObjectNode instance = json.valueToTree(dataset.rows().get(i).features());
            instances.add(instance);
            encoded.add(encoder.encodeFeatures(instance));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<ServedPrediction> servedModelBatch100() throws InvalidRecordException {
        return model.predictAll(instances);
    }

    /** Cycles through the same 100 instances, so the tree is not asked the same path every time. */
    @Benchmark
    public ServedPrediction servedModelSingle() throws InvalidRecordException {
        next = next + 1 == BATCH ? 0 : next + 1;
        return model.predict(instances.get(next));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double encodeAndPredictBatch100() throws InvalidRecordException {
        double sum = 0;
        for (ObjectNode instance : instances) {
            sum += learner.predict(encoder.encodeFeatures(instance)).value();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double treeOnlyBatch100() {
        double sum = 0;
        for (double[] vector : encoded) {
            Prediction prediction = learner.predict(vector);
            sum += prediction.value();
        }
        return sum;
    }

    /** Electricity as bundled in the benchmark jar, copied to a temporary file for {@link Dataset#read}. */
    public static Path bundledElectricity() throws IOException {
        try (InputStream in = PredictBenchmark.class.getResourceAsStream("/datasets/electricity.arff.gz")) {
            if (in == null) {
                throw new IllegalStateException("datasets/electricity.arff.gz is missing from the benchmark jar");
            }
            Path copy = Files.createTempFile("electricity", ".arff.gz");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        }
    }
}

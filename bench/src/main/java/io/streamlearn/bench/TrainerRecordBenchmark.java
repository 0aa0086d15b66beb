package io.streamlearn.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.PredictionRecord;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two JSON records the trainer handles per event, each beside a plain-Jackson baseline in the same run
 * (issue #13): reading an Electricity event ({@link EventCodec#decodeEvent}: parse with duplicate-key detection and
 * the fast double parser, then validate) against Jackson's default {@code readTree} of the same bytes; and writing its
 * prediction ({@link PredictionRecord#encode}, doubles by Jackson's fast writer) against the same fields written by a
 * default generator, whose doubles go through the JDK's {@code Double.toString}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrainerRecordBenchmark {

    private static final int RECORDS = 256;

    private final ObjectMapper plain = new ObjectMapper();
    private final EventCodec codec = new EventCodec();
    private FeatureSchema schema;
    private final List<byte[]> events = new ArrayList<>(RECORDS);
    private final List<Prediction> predictions = new ArrayList<>(RECORDS);
    private int next;

    @Setup
    public void setUp() throws IOException {
        Dataset dataset = Dataset.read(PredictBenchmark.bundledElectricity(), "electricity", null);
        schema = dataset.schema();
        for (int i = 0; i < RECORDS; i++) {
            events.add(codec.encodeEvent("e" + i, 1_700_000_000_000L + i, schema.model(), dataset.rows().get(i)));
            double up = (i % 97) / 97.0;
            predictions.add(new Prediction(up < 0.5 ? 1 : 0, new double[] {up, 1 - up}));
        }
    }

    private int next() {
        next = next + 1 == RECORDS ? 0 : next + 1;
        return next;
    }

    @Benchmark
    public Event decodeEvent() throws InvalidRecordException {
        return codec.decodeEvent(events.get(next()), schema.model(), 0L);
    }

    @Benchmark
    public JsonNode readTreePlainJackson() throws IOException {
        return plain.readTree(events.get(next()));
    }

    @Benchmark
    public byte[] encodePrediction() {
        int i = next();
        return PredictionRecord.encode("e" + i, schema, 3, predictions.get(i), 1_700_000_000_000L + i, false);
    }

    /** The same fields as {@link PredictionRecord#encode} for a nominal target, by Jackson's default generator. */
    @Benchmark
    public byte[] encodePredictionPlainJackson() throws IOException {
        int i = next();
        Prediction prediction = predictions.get(i);
        List<String> classes = schema.target().values();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (JsonGenerator out = plain.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("id", "e" + i);
            out.writeStringField("model", schema.model());
            out.writeNumberField("version", 3);
            out.writeStringField("prediction", classes.get(prediction.predictedClass()));
            out.writeObjectFieldStart("scores");
            for (int c = 0; c < classes.size(); c++) {
                out.writeNumberField(classes.get(c), prediction.scores()[c]);
            }
            out.writeEndObject();
            out.writeNumberField("ts", 1_700_000_000_000L + i);
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }
}

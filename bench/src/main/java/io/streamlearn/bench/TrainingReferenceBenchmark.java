package io.streamlearn.bench;

import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.model.TrainingReferenceCodec;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * What a promotion costs the drift monitor's stream thread when it applies the new model's training rows
 * (docs/drift.md, section 8): {@link TrainingReferenceCodec#decode} of 5,000 rows of 10 numeric features (the
 * retrainer's default {@code retrain.drift.reference.rows}) and {@link FeatureDriftMonitor#resetReference(List)} with
 * the default windows. Once per promotion, not per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrainingReferenceBenchmark {

    private static final int ROWS = 5000;
    private static final int FEATURES = 10;

    private byte[] record;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        List<TrainingReference.Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            Map<String, Object> values = new HashMap<>();
            for (int f = 0; f < FEATURES; f++) {
                values.put("x" + f, random.nextGaussian());
            }
            rows.add(new TrainingReference.Row(0, i, 1000L * i, values));
        }
        record = TrainingReferenceCodec.encode(new TrainingReference("bench", 1, rows));
    }

    @Benchmark
    public FeatureDriftMonitor applyTrainingReference() {
        TrainingReference reference = TrainingReferenceCodec.decode(record);
        List<Observation> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            TrainingReference.Row row = reference.rows().get(i);
            rows.add(new Observation(i + 1 - ROWS, row.partition(), row.offset(), row.timestamp(), row.values()));
        }
        FeatureDriftMonitor monitor = new FeatureDriftMonitor("bench", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
        monitor.resetReference(rows);
        return monitor;
    }
}

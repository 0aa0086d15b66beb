package io.streamlearn.bench;

import io.streamlearn.drift.statistics.NumericSample;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import io.streamlearn.drift.window.ObservationCodec;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The drift monitor's per-event cost for 10 numeric features (issue #4's target: at least 200k events/s per core).
 * One thread, so {@code ops/s} is events per second on one core:
 *
 * <ul>
 *   <li>{@code monitorObserve}: {@link FeatureDriftMonitor#observe} with the default windows, the reference full: the
 *       sketches, reservoirs and moments of the filling block, plus every 250th event the window's evaluation
 *       (merging 4 blocks, PSI, KS, Wasserstein, missing rate per feature, signals and histograms) amortised;</li>
 *   <li>{@code samplesOnly}: the 10 {@link NumericSample#add} calls alone;</li>
 *   <li>{@code journalEncode}: the journal entry the Kafka Streams adapter writes per event
 *       ({@link ObservationCodec#encode}).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DriftStatisticsBenchmark {

    private static final int FEATURES = 10;
    private static final int BATCH = 1000;

    private FeatureDriftMonitor monitor;
    private NumericSample[] samples;
    private List<Map<String, Object>> events;
    private double[][] values;
    private long position;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        events = new ArrayList<>(BATCH);
        values = new double[BATCH][FEATURES];
        for (int i = 0; i < BATCH; i++) {
            Map<String, Object> event = new HashMap<>();
            for (int f = 0; f < FEATURES; f++) {
                values[i][f] = random.nextGaussian();
                event.put("x" + f, values[i][f]);
            }
            events.add(event);
        }
        monitor = new FeatureDriftMonitor("bench", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
        // Fill the reference and the first window, so every measured event goes to the current window.
        for (int i = 0; i < MonitorSettings.DEFAULTS.referenceSize() + MonitorSettings.DEFAULTS.windowSize(); i++) {
            observe(events.get(i % BATCH));
        }
        samples = new NumericSample[FEATURES];
        for (int f = 0; f < FEATURES; f++) {
            samples[f] = new NumericSample(MonitorSettings.DEFAULTS.ksSampleSize(), f);
        }
    }

    private int observe(Map<String, Object> event) {
        position++;
        return monitor.observe(new Observation(position, 0, position, position, event)).size();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int monitorObserve() {
        int alerts = 0;
        for (Map<String, Object> event : events) {
            alerts += observe(event);
        }
        return alerts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long samplesOnly() {
        for (double[] event : values) {
            for (int f = 0; f < FEATURES; f++) {
                samples[f].add(event[f]);
            }
        }
        return samples[0].count();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int journalEncode() {
        int bytes = 0;
        for (Map<String, Object> event : events) {
            bytes += ObservationCodec.encode(new Observation(1, 0, 1, 1, event)).length;
        }
        return bytes;
    }
}

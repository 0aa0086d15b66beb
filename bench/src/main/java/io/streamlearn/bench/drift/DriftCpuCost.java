package io.streamlearn.bench.drift;

import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The monitor's cost per event in CPU time of its own thread, for 10 numeric features: a figure that holds on a
 * machine shared with other work, where JMH's wall-clock throughput varies several-fold from run to run (the
 * development machine has 2 cores and a load of 10 or more). Reports events per CPU-second, i.e. per core.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.streamlearn.bench.drift.DriftCpuCost [events]</pre>
 */
public final class DriftCpuCost {

    private DriftCpuCost() {
    }

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        Random random = new Random(1);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> event = new HashMap<>();
            for (int f = 0; f < 10; f++) {
                event.put("x" + f, random.nextGaussian());
            }
            batch.add(event);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 3; round++) {
            FeatureDriftMonitor monitor = new FeatureDriftMonitor("bench", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            long alerts = 0;
            for (int i = 1; i <= events; i++) {
                alerts += monitor.observe(new Observation(i, 0, i, i, batch.get(i % batch.size()))).size();
            }
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: %,d events of 10 numeric features in %.2f s CPU (%.2f s wall): "
                    + "%,.0f events per CPU-second; %d alerts%n", round, events, cpuSeconds, wallSeconds,
                    events / cpuSeconds, alerts);
        }
    }
}

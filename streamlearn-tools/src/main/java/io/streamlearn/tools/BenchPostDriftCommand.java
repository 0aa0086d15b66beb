package io.streamlearn.tools;

import io.streamlearn.batch.RetrainSettings;
import io.streamlearn.cli.DataOptions;
import io.streamlearn.tools.bench.PostDriftBench;
import io.streamlearn.tools.bench.PostDriftReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Post-drift accuracy with drift-triggered retraining against the online model alone (no Kafka). */
@Command(name = "bench-post-drift", mixinStandardHelpOptions = true,
        description = "Run the online learner prequentially on Electricity and on a seeded abrupt-drift Agrawal "
                + "stream; when ADWIN fires on its errors, retrain the batch pipeline on the newest labelled events "
                + "and serve the gate's winner. Report accuracy after each drift for both.")
final class BenchPostDriftCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--learner", defaultValue = "trees.HoeffdingTree",
            description = "Online learner (default: ${DEFAULT-VALUE})")
    String learner;

    @Option(names = "--collect", defaultValue = "2000",
            description = "Labelled events collected after a detection to train on (default: ${DEFAULT-VALUE})")
    int collect;

    @Option(names = "--delay", defaultValue = "500",
            description = "Events between the end of the window and serving the winner: the retrain's latency "
                    + "(default: ${DEFAULT-VALUE})")
    int delay;

    @Option(names = "--drift-every", defaultValue = "20000",
            description = "Events between the synthetic stream's abrupt drifts (default: ${DEFAULT-VALUE})")
    int driftEvery;

    @Option(names = "--trials", defaultValue = "6", description = "Search trials per retrain (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--nthread", defaultValue = "1", description = "XGBoost threads (default: ${DEFAULT-VALUE})")
    int nthread;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown report to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        RetrainSettings settings = RetrainSettings.defaults().withDevice("cpu", false).withSearch(trials, 200, 0)
                .withThreads(nthread);
        PostDriftBench bench = new PostDriftBench(learner, settings, collect, delay);
        String report = PostDriftReport.markdown(bench, data.read(), driftEvery, collect, delay, learner, settings);
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report);
        }
        return 0;
    }
}

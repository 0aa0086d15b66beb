package io.streamlearn.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.cli.DataOptions;
import io.streamlearn.core.data.GeneratedArff;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.ShardedEnsemble;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.tools.bench.ShardBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Events/s of ensembles trained whole and in shards, on 1 and 2 Streams instances; writes its table as Markdown. */
@Command(name = "bench-shards", mixinStandardHelpOptions = true,
        description = "Measure events/s of ensemble learners trained whole and split into shards (docs/sharding.md) "
                + "on 1 and 2 Kafka Streams instances, each as a ratio to one shard in the same run.")
final class BenchShardsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--learner", description = "Ensembles to measure, repeatable (default: "
            + "meta.AdaptiveRandomForest -s 10 and -s 30)")
    List<String> learners = new ArrayList<>();

    @Option(names = "--shards", split = ",", defaultValue = "0,1,2,4",
            description = "Shard counts, 0 for the unsharded model (default: ${DEFAULT-VALUE})")
    List<Integer> shards;

    @Option(names = "--instances", split = ",", defaultValue = "1,2",
            description = "Kafka Streams instances of the application (default: ${DEFAULT-VALUE})")
    List<Integer> instances;

    @Option(names = "--backlog", defaultValue = "45312", description = "Events of the data (Electricity unless "
            + "--data) produced before each run (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of every topic, shard steps "
            + "included (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @picocli.CommandLine.Mixin
    DataOptions data;

    @Option(names = "--accuracy", description = "Instead: prequential accuracy of each learner unsharded and in each "
            + "shard count, in this process (no Kafka), on the data and on a seeded high-cardinality stream")
    boolean accuracy;

    @Option(names = "--generator", defaultValue = "generators.RandomTreeGenerator -r 7 -i 7 -c 2 -o 3 -u 3 -v 300",
            description = "The high-cardinality stream of --accuracy (default: ${DEFAULT-VALUE})")
    String generator;

    @Option(names = "--generated-rows", defaultValue = "50000", description = "Its rows (default: ${DEFAULT-VALUE})")
    int generatedRows;

    @Override
    public Integer call() throws Exception {
        List<String> specs = learners.isEmpty()
                ? List.of("meta.AdaptiveRandomForest -s 10", "meta.AdaptiveRandomForest -s 30") : learners;
        Dataset electricity = data.read();
        if (accuracy) {
            return accuracy(specs, electricity);
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Run on %d cores, Java %s, %d events of "
                + "`" + electricity.schema().model() + "` per run (labels inline), %d partitions, instances in one JVM with the broker.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), events, partitions));
        md.append("| learner | shards | instances | events/s | ratio to 1 shard, same instances |\n|---|---|---|---|---|\n");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            ShardBench bench = new ShardBench(broker, electricity, partitions);
            for (String spec : specs) {
                // Unmeasured: the JIT compiles the trainer's, the shards' and the learner's code paths first.
                bench.run(spec, 2, 1, events);
                for (int count : instances) {
                    double oneShard = Double.NaN;
                    for (int shardCount : shards) {
                        ShardBench.Run run = bench.run(spec, shardCount, count, events);
                        if (shardCount == 1) {
                            oneShard = run.eventsPerSecond();
                        }
                        String row = String.format(Locale.ROOT, "| `%s` | %s | %d | %,.0f | %s |%n", spec,
                                shardCount == 0 ? "unsharded" : Integer.toString(shardCount), count,
                                run.eventsPerSecond(), Double.isNaN(oneShard) || shardCount <= 1 ? "" :
                                        String.format(Locale.ROOT, "%.2f", run.eventsPerSecond() / oneShard));
                        md.append(row);
                        System.out.print(row);
                    }
                }
            }
        }
        System.out.println();
        System.out.print(md);
        if (out != null) {
            Files.writeString(out, md.toString());
        }
        return 0;
    }

    /** Test-then-train accuracy of each learner whole and in shards, as ShardedEnsembleTest measures it. */
    private Integer accuracy(List<String> specs, Dataset first) throws Exception {
        Path generated = Files.createTempFile("streamlearn-shards", ".arff");
        GeneratedArff.write(generator, generatedRows, generated);
        List<Dataset> datasets = List.of(first, Dataset.read(generated, "generated", null));
        StringBuilder md = new StringBuilder("| data | learner | shards | accuracy | difference to unsharded |\n"
                + "|---|---|---|---|---|\n");
        for (Dataset dataset : datasets) {
            FeatureEncoder encoder = new FeatureEncoder(dataset.schema());
            List<double[]> rows = new ArrayList<>();
            double[] labels = new double[dataset.rows().size()];
            for (LabeledRow row : dataset.rows()) {
                labels[rows.size()] = encoder.encodeLabel(JSON.valueToTree(row.label()));
                rows.add(encoder.encodeFeatures(JSON.valueToTree(row.features())));
            }
            for (String spec : specs) {
                double whole = Double.NaN;
                for (int shardCount : shards) {
                    OnlineLearner learner = shardCount == 0 ? LearnerFactory.create(spec, dataset.schema())
                            : ShardedEnsemble.create(spec, dataset.schema(), shardCount);
                    long correct = 0;
                    for (int i = 0; i < rows.size(); i++) {
                        if (learner.predict(rows.get(i)).predictedClass() == (int) labels[i]) {
                            correct++;
                        }
                        learner.learn(rows.get(i), labels[i]);
                    }
                    double percent = 100.0 * correct / rows.size();
                    whole = shardCount == 0 ? percent : whole;
                    String row = String.format(Locale.ROOT, "| %s (%,d rows) | `%s` | %s | %.3f %% | %s |%n",
                            dataset.schema().model(), rows.size(), spec,
                            shardCount == 0 ? "unsharded" : Integer.toString(shardCount), percent,
                            shardCount == 0 || Double.isNaN(whole) ? ""
                                    : String.format(Locale.ROOT, "%+.3f", percent - whole));
                    md.append(row);
                    System.out.print(row);
                }
            }
        }
        System.out.println();
        System.out.print(md);
        if (out != null) {
            Files.writeString(out, md.toString());
        }
        return 0;
    }
}

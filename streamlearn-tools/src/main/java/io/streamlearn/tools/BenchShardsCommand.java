package io.streamlearn.tools;

import io.streamlearn.cli.DataOptions;
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

    @Option(names = "--learner", description = "Ensembles to measure, repeatable (default: "
            + "meta.AdaptiveRandomForest -s 10 and -s 30)")
    List<String> learners = new ArrayList<>();

    @Option(names = "--shards", split = ",", defaultValue = "0,1,2,4",
            description = "Shard counts, 0 for the unsharded model (default: ${DEFAULT-VALUE})")
    List<Integer> shards;

    @Option(names = "--instances", split = ",", defaultValue = "1,2",
            description = "Kafka Streams instances of the application (default: ${DEFAULT-VALUE})")
    List<Integer> instances;

    @Option(names = "--backlog", defaultValue = "6000", description = "Events of the data (Electricity unless "
            + "--data) produced before each run (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of every topic, shard steps "
            + "included (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @picocli.CommandLine.Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        List<String> specs = learners.isEmpty()
                ? List.of("meta.AdaptiveRandomForest -s 10", "meta.AdaptiveRandomForest -s 30") : learners;
        Dataset electricity = data.read();
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
}

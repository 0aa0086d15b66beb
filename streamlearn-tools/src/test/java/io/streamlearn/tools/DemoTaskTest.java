package io.streamlearn.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/streamlearn demo --task anomaly|cluster}, parsed by picocli as from the command line, on the first rows
 * of the bundled Electricity data: the task's figures in {@code summary.json}, repeated {@code --learner} giving the
 * comparison block.
 */
class DemoTaskTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @Test
    void anomalyDemoWithTwoLearnersWritesTheTaskFiguresAndTheComparison() throws Exception {
        int exit = StreamlearnTools.commandLine().execute("demo", "--task", "anomaly", "--drop", "day,date",
                "--events", "6000", "--learner", "oneclass.HSTrees -t 25 -h 10", "--learner",
                "oneclass.NearestNeighbourDescription", "--port", "0", "--exit", "--out", out.toString());
        assertThat(exit).isZero();

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("task").asText()).isEqualTo("anomaly");
        assertThat(summary.get("predictions").asLong()).isEqualTo(6000);
        assertThat(summary.get("rocAuc").asDouble()).isGreaterThan(0.6);
        assertThat(summary.get("alerts").asLong()).isPositive();
        assertThat(summary.has("accuracy")).isFalse();
        JsonNode comparison = summary.get("comparison");
        assertThat(comparison).hasSize(2);
        assertThat(comparison.get(0).get("learner").asText()).isEqualTo("oneclass.HSTrees -t 25 -h 10");
        assertThat(comparison.get(0).get("evaluation").get("rocAuc").asDouble())
                .as("the comparison replays the same events with the same evaluator as the trainer")
                .isEqualTo(summary.get("rocAuc").asDouble());
        assertThat(comparison.get(1).get("curve").size()).isGreaterThan(10);
        assertThat(Files.readString(out.resolve("report.html")))
                .contains("Interleaved comparison", "oneclass.NearestNeighbourDescription", "ROC-AUC");
    }

    /**
     * {@code --config FILE} reaches the demo's parts: its keys apply, and a mistyped one is refused by name. The drift
     * monitor refuses it after the broker, the definitions reader and the trainer have started: they are closed again
     * and the state directory deleted (before, every such run left a running trainer in the JVM and a
     * {@code streamlearn-state*} directory in the temporary folder).
     */
    @Test
    void aConfigFileSetsTheDemosPartsAndAMistypedKeyIsRefused() throws Exception {
        Path config = out.resolve("demo.properties");
        Files.writeString(config, "drift.window.step=125\ndrift.windw.size=500\n");
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnTools.commandLine();
        commandLine.setErr(new PrintWriter(err));
        Set<String> stateDirsBefore = stateDirectories();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

        int exit = commandLine.execute("demo", "--events", "500", "--port", "0", "--exit", "--out",
                out.resolve("run").toString(), "--config", config.toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("drift.windw.size").contains("did you mean 'drift.window.size'");
        assertThat(stateDirectories()).as("state directories in the temporary folder").isEqualTo(stateDirsBefore);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(thread -> !threadsBefore.contains(thread) && thread.isAlive())
                .extracting(Thread::getName)
                .as("threads the failed demo started and left running")
                .noneMatch(name -> name.startsWith("streamlearn-trainer") || name.startsWith("kafka-")
                        || name.contains("StreamThread")));
    }

    private static Set<String> stateDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("streamlearn-state"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void clusterDemoWritesClusterQuality() throws Exception {
        int exit = StreamlearnTools.commandLine().execute("demo", "--task", "cluster", "--drop", "day,date",
                "--events", "3000", "--port", "0", "--exit", "--out", out.toString());
        assertThat(exit).isZero();

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("task").asText()).isEqualTo("cluster");
        assertThat(summary.get("learner").asText()).isEqualTo("clustream.WithKmeans -k 3");
        assertThat(summary.get("clusters").asInt()).isEqualTo(3);
        assertThat(summary.get("ssq").asDouble()).isPositive();
        assertThat(summary.get("silhouette").asDouble()).isBetween(0.0, 1.0);
        assertThat(summary.has("comparison")).isFalse();
        assertThat(Files.readString(out.resolve("report.html"))).contains("silhouette");
        // The demo asks for a retrain after the replay: XGBoost would learn the labels, which only evaluate a
        // clusterer, and a promoted classifier would be served in place of the clusters.
        JsonNode retraining = summary.get("retraining");
        assertThat(retraining.get("promoted").asInt()).isZero();
        assertThat(retraining.get("lastRun").get("status").asText()).isEqualTo("failed");
        assertThat(retraining.get("lastRun").get("reason").asText()).startsWith("unsupported_task: ");
        assertThat(summary.get("servedVersion").asLong()).isEqualTo(summary.get("modelVersion").asLong());
    }
}

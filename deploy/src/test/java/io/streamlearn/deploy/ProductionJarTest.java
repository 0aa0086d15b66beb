package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.cli.StreamlearnCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jar deploy/Dockerfile copies into the image, listed: the services' commands and none of the demo, the embedded
 * broker (Kafka's server, KRaft, Scala) or the benchmarks, which live in streamlearn-tools (issue 15). The jar is
 * streamlearn-cli's shaded jar; this module depends on streamlearn-cli, so the reactor packages it before these tests.
 * What docker-compose.yml and k8s/ run from the image must then be one of its commands.
 */
class ProductionJarTest {

    private static final List<String> FORBIDDEN = List.of("kafka/server/", "kafka/raft/", "scala/",
            "io/streamlearn/tools/", "io/streamlearn/cli/bench/", "io/streamlearn/cli/demo/",
            "io/streamlearn/kafka/EmbeddedKafkaBroker");

    /** The first argument of a container's {@code args: [...]} in a Kubernetes manifest: its command. */
    private static final Pattern ARGS = Pattern.compile("^\\s*args:\\s*\\[\\s*\"([^\"]+)\"", Pattern.MULTILINE);

    private static List<String> entries;

    @BeforeAll
    static void listTheJar() throws Exception {
        Path jar = RepositoryFiles.root().resolve("streamlearn-cli/target/streamlearn.jar");
        assertThat(jar).as("streamlearn-cli's shaded jar; build it with ./mvnw -B package or verify").exists();
        assertThat(Files.readString(RepositoryFiles.deploy("Dockerfile")))
                .as("the jar this test lists is the one the image copies")
                .contains("COPY --from=build /src/streamlearn-cli/target/streamlearn.jar ");
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void holdsTheServicesCommands() {
        assertThat(entries).contains("io/streamlearn/cli/StreamlearnCommand.class", "io/streamlearn/cli/TrainCommand.class",
                "io/streamlearn/cli/ServeCommand.class", "io/streamlearn/cli/MonitorCommand.class",
                "io/streamlearn/cli/RetrainCommand.class", "io/streamlearn/cli/ReplayCommand.class",
                "io/streamlearn/trainer/TrainerApplication.class", "io/streamlearn/serve/PredictionServer.class",
                "org/apache/kafka/streams/KafkaStreams.class", "datasets/electricity.arff.gz");
    }

    @Test
    void holdsNoBrokerNoScalaNoDemoAndNoBenchmark() {
        Map<String, List<String>> found = new TreeMap<>();
        for (String forbidden : FORBIDDEN) {
            List<String> hits = entries.stream().filter(entry -> entry.startsWith(forbidden)).limit(3).toList();
            if (!hits.isEmpty()) {
                found.put(forbidden, hits);
            }
        }
        assertThat(found).as("forbidden entries in the production jar (the first 3 of each)").isEmpty();
    }

    /** What Compose and Kubernetes run from the image is a command of the production jar, not a tool's. */
    @Test
    void everyCommandTheDeploymentsRunIsAProductionCommand() throws Exception {
        Set<String> production = StreamlearnCommand.commandLine().getSubcommands().keySet();
        List<String> run = new ArrayList<>();
        Map<String, Object> compose = RepositoryFiles.yaml(RepositoryFiles.deploy("docker-compose.yml"));
        for (Object service : RepositoryFiles.map(compose.get("services")).values()) {
            Map<String, Object> definition = RepositoryFiles.map(service);
            if ("streamlearn:latest".equals(definition.get("image")) && definition.get("command") != null) {
                run.add(String.valueOf(RepositoryFiles.list(definition.get("command")).get(0)));
            }
        }
        try (var manifests = Files.list(RepositoryFiles.deploy("k8s"))) {
            for (Path manifest : manifests.filter(file -> file.toString().endsWith(".yaml")).sorted().toList()) {
                Matcher args = ARGS.matcher(Files.readString(manifest));
                while (args.find()) {
                    run.add(args.group(1));
                }
            }
        }
        assertThat(run).as("commands of docker-compose.yml and k8s/").contains("train", "serve", "monitor", "retrain");
        assertThat(production).containsAll(run);
    }
}

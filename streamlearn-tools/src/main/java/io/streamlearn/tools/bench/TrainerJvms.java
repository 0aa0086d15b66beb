package io.streamlearn.tools.bench;

import io.streamlearn.cli.StreamlearnCommand;
import io.streamlearn.trainer.TrainerConfig;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trainer instances of a benchmark as separate JVMs ({@code streamlearn train --defined-models-only}), as in a
 * deployment: each with its own state directory, log and temporary folder under the benchmark's work directory (a
 * JVM killed with SIGKILL leaves the ~15 MB of native libraries RocksDB and lz4-java unpack there, deleted with it).
 */
final class TrainerJvms {

    private final String bootstrapServers;
    private final Path work;

    TrainerJvms(String bootstrapServers, Path work) {
        this.bootstrapServers = bootstrapServers;
        this.work = work;
    }

    Process start(TrainerConfig config, int instance, int standbys, long sessionTimeoutMs) throws IOException {
        return start(config, instance, standbys, sessionTimeoutMs, Map.of());
    }

    /** @param extra settings over the instance's own, e.g. {@code kafka.num.stream.threads} */
    Process start(TrainerConfig config, int instance, int standbys, long sessionTimeoutMs, Map<String, String> extra)
            throws IOException {
        String name = config.applicationId() + "-" + instance;
        Path tmp = Files.createDirectories(work.resolve(name + "-tmp"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                StreamlearnCommand.class.getName(), "train", "--defined-models-only", "--bootstrap-servers",
                bootstrapServers, "--port", "0"));
        Map<String, String> settings = new HashMap<>();
        settings.put("application.id", config.applicationId());
        for (String key : List.of("events", "labels", "predictions", "dlq", "models", "definitions")) {
            settings.put("topic." + key, config.applicationId() + "." + key);
        }
        settings.put("snapshot.interval.ms", "5000");
        settings.put("kafka.state.dir", work.resolve(name).toString());
        settings.put("kafka.num.standby.replicas", Integer.toString(standbys));
        settings.put("kafka.session.timeout.ms", Long.toString(sessionTimeoutMs));
        settings.put("kafka.heartbeat.interval.ms", Long.toString(Math.max(1_000, sessionTimeoutMs / 6)));
        settings.putAll(extra);
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        File log = work.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    /** The instance learning the most models now, from each one's {@code /metrics} (its port is in its log). */
    int busiest(TrainerConfig config, int instances) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        int busiest = 0;
        long most = -1;
        for (int i = 0; i < instances; i++) {
            String log = Files.readString(work.resolve(config.applicationId() + "-" + i + ".log"));
            Matcher port = Pattern.compile("HTTP on port (\\d+)").matcher(log);
            if (!port.find()) {
                continue;
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1)
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            long models = metrics.lines().filter(line -> line.startsWith("streamlearn_train_events_total{"))
                    .filter(line -> !line.endsWith(" 0.0")).count();
            if (models > most) {
                most = models;
                busiest = i;
            }
        }
        return busiest;
    }

    /** Stops every instance (SIGTERM: each closes its client and leaves the group) and waits for them. */
    static void stop(List<Process> trainers) throws InterruptedException {
        for (Process trainer : trainers) {
            trainer.destroy();
        }
        for (Process trainer : trainers) {
            trainer.waitFor();
        }
    }
}

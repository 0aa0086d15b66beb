package io.streamlearn.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The programs the examples under {@code examples/} run with, found on this machine, and a runner that starts an
 * example from the repository root as a user would. {@code bin/test} installs what is missing from Debian packages
 * ({@code python3-confluent-kafka}, {@code kcat}, {@code curl}); without one, {@link #find} fails saying so, so the
 * examples are never skipped.
 */
final class ExampleTools {

    /** A guard against a hung client, not a measure: every example ends within seconds. */
    private static final long PROCESS_TIMEOUT_SECONDS = 180;
    private static final String INSTALL = " (Debian: apt-get install -y --no-install-recommends "
            + "python3-confluent-kafka kcat curl; bin/test installs what is missing)";

    private final Path root;
    private final String python;
    private final Path outputs;

    private ExampleTools(Path root, String python, Path outputs) {
        this.root = root;
        this.python = python;
        this.outputs = outputs;
    }

    /** @param outputs where the examples' output is written while they run */
    static ExampleTools find(Path outputs) throws IOException, InterruptedException {
        Path root = repositoryRoot();
        for (String program : List.of("kcat", "curl", "bash")) {
            if (onPath(program).isEmpty()) {
                throw new IllegalStateException("'" + program + "' is not on PATH: the examples need it" + INSTALL);
            }
        }
        return new ExampleTools(root, pythonWithConfluentKafka(root, outputs), outputs);
    }

    /** The interpreter that imports confluent_kafka: Debian's package installs it for /usr/bin/python3 only. */
    String python() {
        return python;
    }

    /** Runs a command in the repository root; fails with its output unless it exits 0. */
    Result run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        Result result = start(root, outputs, environment, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + "\nstdout:\n"
                    + result.stdout() + "\nstderr:\n" + result.stderr());
        }
        return result;
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result start(Path directory, Path outputs, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(outputs, "example-", ".out");
        Path stderr = Files.createTempFile(outputs, "example-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not end within " + PROCESS_TIMEOUT_SECONDS
                    + " s\nstdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr));
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    private static String pythonWithConfluentKafka(Path root, Path outputs) throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>(onPath("python3"));
        candidates.add("/usr/bin/python3"); // Debian's own, which a pyenv or virtualenv python3 may shadow on PATH
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))
                    && start(root, outputs, Map.of(), candidate, "-c", "import confluent_kafka").exitCode() == 0) {
                return candidate;
            }
        }
        throw new IllegalStateException("no Python 3 with the confluent_kafka module (tried " + candidates + ")"
                + INSTALL);
    }

    private static List<String> onPath(String program) {
        List<String> found = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                found.add(candidate.toString());
            }
        }
        return found;
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/README.md")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no examples/README.md above " + Path.of("").toAbsolutePath());
    }
}

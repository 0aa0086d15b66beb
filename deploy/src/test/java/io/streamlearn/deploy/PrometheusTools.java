package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code promtool} and {@code prometheus} binaries from the PATH. Missing binaries fail the test with how to
 * install them: these checks are the proof that the rules and dashboards work, so they never skip.
 */
final class PrometheusTools {

    static final String INSTALL_HINT = "Install Prometheus 2.x so that 'promtool' and 'prometheus' are on the PATH: "
            + "on Debian/Ubuntu 'apt-get install -y --no-install-recommends prometheus' (bin/test does this when they "
            + "are missing), elsewhere the release archive from https://prometheus.io/download/";

    private PrometheusTools() {
    }

    static Path binary(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'" + name + "' is not on the PATH. " + INSTALL_HINT);
    }

    /** Runs {@code promtool} with the arguments in {@code dir} and returns its output; a non-zero exit fails. */
    static String promtool(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary("promtool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool " + String.join(" ", arguments) + " did not finish within 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", arguments), output).isZero();
        return output;
    }
}

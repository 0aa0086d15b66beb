package io.streamlearn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short soak: the harness runs trainer and server under load, samples them, and reports no failed request. */
class SoakCommandTest {

    @TempDir
    Path dir;

    @Test
    void aShortSoakServesEveryRequestAndSamplesTheProcess() throws Exception {
        Path report = dir.resolve("soak.md");

        int exit = StreamlearnTools.commandLine().execute("soak", "--minutes", "0.25", "--sample-seconds", "3",
                "--rate", "300", "--state-dir", dir.resolve("state").toString(), "--out", report.toString(),
                "--max-heap-slope", "1000000");

        String markdown = Files.readString(report);
        assertThat(markdown).contains("failed 0;").contains("Kafka client spread 0");
        assertThat(markdown.lines().filter(line -> line.matches("\\| \\d+ \\|.*")).count())
                .as("samples").isGreaterThanOrEqualTo(4);
        assertThat(exit).as(markdown).isZero();
    }
}

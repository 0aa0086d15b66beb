package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GpuCheckCommandTest {

    @Test
    void trainsOnTheCpuAndSaysXGBoostFoundNoGpuHere() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));

        int exit = commandLine.execute("gpu-check", "--rows", "2000", "--features", "5", "--rounds", "5",
                "--nthread", "1");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("gpu-check: 2,000 rows x 5 features, 5 rounds")
                .containsPattern("cpu  \\(nthread=1\\): \\d+\\.\\d\\d s, train logloss 0\\.\\d{4}")
                .contains("no GPU: XGBoost used cpu for device=cuda (XGBoost: Device is changed from GPU to CPU");
    }
}

package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.batch.DeviceProbe;
import io.streamlearn.batch.DeviceReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GpuCheckCommandTest {

    /**
     * Holds on every machine: the CPU fit is always reported, then either the CUDA fit with its speed-up or the CPU
     * fallback in XGBoost's own words, whichever the device probe found.
     */
    @Test
    void trainsOnTheCpuAndReportsTheCudaFitOrXGBoostsFallback() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));

        int exit = commandLine.execute("gpu-check", "--rows", "2000", "--features", "5", "--rounds", "5",
                "--nthread", "1");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("gpu-check: 2,000 rows x 5 features, 5 rounds")
                .containsPattern("cpu  \\(nthread=1\\): \\d+\\.\\d\\d s, train logloss 0\\.\\d{4}");
        DeviceReport cuda = DeviceProbe.resolve("cuda");
        if (cuda.usedGpu()) {
            assertThat(out.toString()).containsPattern("cuda: \\d+\\.\\d\\d s, train logloss 0\\.\\d{4}")
                    .containsPattern("speedup: \\d+\\.\\dx");
        } else {
            assertThat(out.toString()).contains("no GPU: XGBoost used cpu for device=cuda (" + cuda.evidence() + ")");
        }
    }
}

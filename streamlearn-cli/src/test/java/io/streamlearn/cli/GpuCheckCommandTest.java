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
     * Holds on every machine: the CPU fit is always reported with the device its booster names, then either the CUDA
     * fit with the CUDA device its booster names and the speed-up, or the CPU fallback XGBoost's configuration shows,
     * whichever the device probe found.
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
                .containsPattern("cpu  \\(nthread=1, booster device=cpu\\): \\d+\\.\\d\\d s, train logloss 0\\.\\d{4}");
        DeviceReport cuda = DeviceProbe.resolve("cuda");
        if (cuda.usedGpu()) {
            assertThat(out.toString()).containsPattern("cuda \\(XGBoost's configuration of the timed fit's booster: "
                    + "device=cuda(:\\d+)?\\): \\d+\\.\\d\\d s, train logloss 0\\.\\d{4}")
                    .containsPattern("speedup: \\d+\\.\\dx");
        } else {
            assertThat(out.toString()).contains("no GPU: XGBoost used cpu for device=cuda (" + cuda.evidence() + ")")
                    .contains("device=cpu");
        }
    }
}

package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceProbeTest {

    @Test
    void cudaFallsBackToTheCpuHereAndXGBoostSaysSo() {
        DeviceReport report = DeviceProbe.resolve("cuda");

        assertThat(report.used()).isEqualTo("cpu");
        assertThat(report.usedGpu()).isFalse();
        assertThat(report.evidence()).startsWith("XGBoost: ");
    }

    @Test
    void autoUsesTheCpuParameterWhenNoGpuIsUsed() {
        DeviceReport report = DeviceProbe.resolve("auto");

        assertThat(report.used()).isEqualTo("cpu");
        assertThat(DeviceProbe.parameter(report)).isEqualTo("cpu");
    }

    @Test
    void readsXGBoostsFallbackWarningAndItsAbsence() {
        assertThat(DeviceProbe.interpret(0, "[01:48:04] WARNING: /workspace/src/context.cc:218: Device is changed "
                + "from GPU to CPU as we couldn't find any available GPU on the system.\ndevice-probe: trained\n").used())
                .isEqualTo("cpu");
        assertThat(DeviceProbe.interpret(0, "device-probe: trained\n").used()).isEqualTo("cuda");
        assertThat(DeviceProbe.interpret(1, "Exception in thread main ...\n").used()).isEqualTo("cpu");
    }
}

package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceProbeTest {

    /**
     * Holds on every machine: what the report says was used agrees with XGBoost's own words (a fallback warning
     * means the CPU, its absence after a finished fit means CUDA), and the CPU-only library (the default build)
     * never reports CUDA, GPU or not.
     */
    @Test
    void theCudaReportAgreesWithWhatXGBoostSaid() {
        DeviceReport report = DeviceProbe.resolve("cuda");

        assertThat(report.requested()).isEqualTo("cuda");
        if (report.usedGpu()) {
            assertThat(report.evidence()).isEqualTo("XGBoost trained with device=cuda without falling back to the CPU");
        } else {
            assertThat(report.used()).isEqualTo("cpu");
            assertThat(DeviceProbe.FALLBACK_MARKERS.stream().anyMatch(report.evidence()::contains)
                    || report.evidence().startsWith("device probe")).as(report.evidence()).isTrue();
        }
        if (!cudaBuildOnClasspath()) {
            assertThat(report.usedGpu()).as("the CPU-only XGBoost library cannot train on a GPU").isFalse();
        }
    }

    @Test
    void autoAsksXGBoostForTheDeviceTheProbeFound() {
        DeviceReport report = DeviceProbe.resolve("auto");

        assertThat(report.used()).isEqualTo(DeviceProbe.resolve("cuda").used());
        assertThat(DeviceProbe.parameter(report)).isEqualTo(report.usedGpu() ? "cuda" : "cpu");
    }

    /** Whether the {@code gpu} profile's XGBoost (built with CUDA) is on the classpath instead of the CPU one. */
    static boolean cudaBuildOnClasspath() {
        return System.getProperty("java.class.path").contains("-gpu");
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

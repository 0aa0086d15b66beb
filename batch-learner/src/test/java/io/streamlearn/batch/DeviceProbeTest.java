package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceProbeTest {

    /**
     * Holds on every machine: the report's device is the one the probe booster's own configuration names (a CUDA
     * device means {@code cuda}, anything else {@code cpu}), and the CPU-only library (the default build) never
     * reports CUDA, GPU or not.
     */
    @Test
    void theCudaReportIsWhatTheProbeBoostersConfigurationSays() {
        DeviceReport report = DeviceProbe.resolve("cuda");

        assertThat(report.requested()).isEqualTo("cuda");
        assertThat(report.evidence()).startsWith("XGBoost's configuration of a booster trained with device=cuda: device=");
        String named = report.evidence().substring(report.evidence().lastIndexOf("device=") + "device=".length());
        assertThat(report.used()).isEqualTo(BoosterConfig.kind(named));
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
}

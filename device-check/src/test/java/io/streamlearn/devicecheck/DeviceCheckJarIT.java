package io.streamlearn.devicecheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.batch.DeviceProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code device-check.jar} as a GPU machine would, in a JVM of its own with nothing else on the
 * classpath: a class the shade plugin's artifact list left out fails here, not on a lent GPU machine. Holds on every
 * machine: where XGBoost has a GPU the CUDA lines appear, elsewhere the commands say so in their own words.
 */
class DeviceCheckJarIT {

    private static final Path JAR = Path.of("target", "device-check.jar");

    @TempDir
    Path dir;

    @Test
    void gpuCheckTrainsOnTheCpuAndReportsWhatCudaDid() throws Exception {
        Run run = run("gpu-check", "--rows", "3000", "--features", "6", "--rounds", "5", "--nthread", "1");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).containsPattern("cpu  \\(nthread=1, booster device=cpu\\): \\d+\\.\\d\\d s");
        assertThat(run.output).contains(gpu() ? "speedup:" : "no GPU: XGBoost used cpu for device=cuda");
    }

    @Test
    void benchRetrainRunsOnTheCpuAndRefusesToPassTheCpuOffAsCuda() throws Exception {
        Run cpu = run("bench-retrain", "--rows", "3000", "--nthread", "1");
        assertThat(cpu.exit).as(cpu.output).isZero();
        assertThat(cpu.output).contains("device cpu (fits by the device their boosters name: {cpu=");

        Run cuda = run("bench-retrain", "--rows", "3000", "--nthread", "1", "--device", "cuda");
        if (gpu()) {
            assertThat(cuda.exit).as(cuda.output).isZero();
            assertThat(cuda.output).contains("device cuda (fits by the device their boosters name: {cuda");
        } else {
            assertThat(cuda.exit).as(cuda.output).isEqualTo(3);
            assertThat(cuda.output).contains("bench-retrain: no GPU: retrain.require-gpu is set");
        }
    }

    @Test
    void reducesOnlyALibraryWithCudaCode() throws Exception {
        Path cpuOnly = dir.resolve("libxgboost4j.so");
        try (var in = DeviceCheckJarIT.class.getResourceAsStream("/lib/linux/x86_64/libxgboost4j.so")) {
            Files.copy(in, cpuOnly);
        }
        Run run = run("reduce-cuda-library", "--compute-capability", "9.0", cpuOnly.toString(),
                dir.resolve("reduced.so").toString());

        if (gpu() || System.getProperty("java.class.path").contains("-gpu")) {
            assertThat(run.exit).as(run.output).isZero();
            assertThat(run.output).contains("kept").contains("{sm_90=");
        } else {
            assertThat(run.exit).isNotZero();
            assertThat(run.output).contains("has no CUDA code");
        }
    }

    private static boolean gpu() {
        return DeviceProbe.resolve("cuda").usedGpu();
    }

    private record Run(int exit, String output) {
    }

    private Run run(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("packaged by the shade plugin before integration tests").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-Djava.io.tmpdir=" + dir, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output);
    }
}

package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoosterConfigTest {

    private static final DenseRows ROWS = GpuCheck.synthetic(500, 4, 7);

    /** Two boosters trained side by side each read back their own parameters: the configuration is per booster. */
    @Test
    void readsEachBoostersOwnConfiguration() {
        BoosterFit shallow = fit(3, "cpu");
        BoosterFit deep = fit(5, "cpu");
        try {
            assertThat(maxDepths(BoosterConfig.json(shallow.booster()))).containsOnly("3");
            assertThat(maxDepths(BoosterConfig.json(deep.booster()))).containsOnly("5");
            assertThat(shallow.device()).isEqualTo("cpu");
            assertThat(BoosterConfig.loadedLibraryPath().getFileName().toString()).contains("xgboost4j");
        } finally {
            shallow.booster().dispose();
            deep.booster().dispose();
        }
    }

    /**
     * Holds on every machine: a fit asked for {@code device=cuda} names the device XGBoost really used, the same kind
     * the probe found; with the CPU-only library (the default build) that is always the CPU.
     */
    @Test
    void aFitAskedForCudaNamesTheDeviceItReallyUsed() {
        BoosterFit fit = fit(3, "cuda");
        try {
            assertThat(BoosterConfig.kind(fit.device())).isEqualTo(DeviceProbe.resolve("cuda").used());
            if (!DeviceProbeTest.cudaBuildOnClasspath()) {
                assertThat(fit.device()).isEqualTo("cpu");
            }
        } finally {
            fit.booster().dispose();
        }
    }

    @Test
    void namesOfCudaDevicesAreCudaAndEverythingElseCpu() {
        assertThat(BoosterConfig.kind("cuda:0")).isEqualTo("cuda");
        assertThat(BoosterConfig.kind("cuda")).isEqualTo("cuda");
        assertThat(BoosterConfig.kind("gpu")).isEqualTo("cuda");
        assertThat(BoosterConfig.kind("cpu")).isEqualTo("cpu");
    }

    private static BoosterFit fit(int depth, String device) {
        Map<String, Object> params = new LinkedHashMap<>(
                new Objective("binary:logistic", "logloss", 2).baseParams(device, 1, 1));
        params.put("max_depth", depth);
        return BoosterFit.train(params, ROWS, null, 3, 1);
    }

    private static java.util.List<String> maxDepths(JsonNode config) {
        return config.findValues("max_depth").stream().map(JsonNode::asText).distinct().toList();
    }
}

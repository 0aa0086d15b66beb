package io.streamlearn.batch;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where XGBoost trained.
 *
 * @param requested the settings' device ({@code cpu}, {@code cuda}, {@code auto})
 * @param used      {@code cuda} or {@code cpu}: what XGBoost actually used, not what was asked (for a run: the
 *                  challenger's own fit, read back from its booster)
 * @param evidence  how {@code used} was established (XGBoost's configuration of which booster), for the run record
 * @param fits      for a run, every fit it made (tuning trials, cross-validation folds, the challenger) counted by the
 *                  device its booster's configuration names ({@code cpu}, {@code cuda:0}, ...); empty for the probe
 */
public record DeviceReport(String requested, String used, String evidence, Map<String, Integer> fits) {

    public DeviceReport {
        fits = Map.copyOf(new TreeMap<>(fits));
    }

    DeviceReport(String requested, String used, String evidence) {
        this(requested, used, evidence, Map.of());
    }

    public boolean usedGpu() {
        return "cuda".equals(used);
    }
}

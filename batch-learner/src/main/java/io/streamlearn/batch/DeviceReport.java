package io.streamlearn.batch;

/**
 * Where XGBoost trained.
 *
 * @param requested the settings' device ({@code cpu}, {@code cuda}, {@code auto})
 * @param used      {@code cuda} or {@code cpu}: what XGBoost actually used, not what was asked
 * @param evidence  how {@code used} was established (e.g. XGBoost's own fallback warning), for the run record
 */
public record DeviceReport(String requested, String used, String evidence) {

    public boolean usedGpu() {
        return "cuda".equals(used);
    }
}

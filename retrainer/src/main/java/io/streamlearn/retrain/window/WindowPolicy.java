package io.streamlearn.retrain.window;

import java.util.Locale;

/**
 * Which labelled rows a drift-triggered run trains on ({@code retrain.window.policy}). Runs without a drift point
 * (schedule, admin) always take the most recent rows.
 */
public enum WindowPolicy {

    /**
     * Rows from the start of the drifting window on (the newest drift of the trigger), at most
     * {@code retrain.window.max-rows} of them: after an abrupt change the older rows describe a concept that no longer
     * holds, and a model trained on them would average the two. When the drift is so recent that fewer than
     * {@code retrain.window.min-rows} labelled rows follow it, the window is widened back to the most recent
     * {@code min-rows} rows, so the run trains on as little of the old concept as it can.
     */
    SINCE_DRIFT,

    /**
     * The most recent {@code max-rows} labelled rows, whatever the trigger: more data, better for gradual drift or a
     * noisy monitor, at the cost of some pre-drift rows after an abrupt change.
     */
    RECENT;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static WindowPolicy parse(String code) {
        for (WindowPolicy policy : values()) {
            if (policy.code().equals(code.strip())) {
                return policy;
            }
        }
        throw new IllegalArgumentException("retrain.window.policy must be since-drift or recent, not '" + code + "'");
    }
}

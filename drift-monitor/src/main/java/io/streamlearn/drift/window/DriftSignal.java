package io.streamlearn.drift.window;

import java.io.Serializable;

/**
 * Hysteresis and cooldown for one signal (a feature's distribution, its missing rate, the dataset), so that one change
 * raises one alert: an alert needs {@code confirm} consecutive drifting windows; after it, {@code cooldown} windows
 * raise nothing; then the signal re-arms only after {@code confirm} consecutive calm windows. A change that persists is
 * reported once; a return to normal followed by a new change is reported again.
 */
public final class DriftSignal implements Serializable {

    private final int confirm;
    private final int cooldown;
    private int drifting;
    private int calm;
    private int cooldownLeft;
    private boolean latched;

    public DriftSignal(int confirm, int cooldown) {
        if (confirm < 1 || cooldown < 0) {
            throw new IllegalArgumentException("confirm must be >= 1 and cooldown >= 0");
        }
        this.confirm = confirm;
        this.cooldown = cooldown;
    }

    /** Records one window's verdict; true when it confirms a drift that must be alerted now. */
    public boolean update(boolean drifts) {
        drifting = drifts ? drifting + 1 : 0;
        calm = drifts ? 0 : calm + 1;
        if (cooldownLeft > 0) {
            cooldownLeft--;
            return false;
        }
        if (latched) {
            latched = calm < confirm;
            return false;
        }
        if (drifting >= confirm) {
            latched = true;
            cooldownLeft = cooldown;
            return true;
        }
        return false;
    }

    /** Whether the signal stands in an alerted state (alerted and not re-armed yet). */
    public boolean alerted() {
        return latched;
    }
}

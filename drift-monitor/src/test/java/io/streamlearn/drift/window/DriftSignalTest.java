package io.streamlearn.drift.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftSignalTest {

    @Test
    void alertsOnceAfterConfirmConsecutiveDriftingWindowsWhileTheChangePersists() {
        DriftSignal signal = new DriftSignal(3, 4);
        assertThat(alertsAt(signal, "ddCdddddddddddddddddd")).containsExactly(5);
        assertThat(signal.alerted()).isTrue();
    }

    @Test
    void aSingleNoisyWindowDoesNotAlert() {
        assertThat(alertsAt(new DriftSignal(3, 4), "CCdCCdCdCdd.CCdd.C")).isEmpty();
    }

    @Test
    void reArmsAfterCalmWindowsAndAlertsOnTheNextChange() {
        // d = drifting, C = calm. Alert at 2; cooldown 3..6; calm from 7, re-armed at 9; the new change confirms at 14.
        DriftSignal signal = new DriftSignal(3, 4);
        assertThat(alertsAt(signal, "dddddddCCCCCdddd")).containsExactly(2, 14);
    }

    @Test
    void theCooldownHoldsEvenWhenTheSignalFlapsRightAfterAnAlert() {
        assertThat(alertsAt(new DriftSignal(2, 6), "ddCCCddd")).containsExactly(1);
    }

    /** Indices of the windows that raise an alert; 'd' drifts, anything else is calm. */
    private static List<Integer> alertsAt(DriftSignal signal, String verdicts) {
        List<Integer> alerts = new ArrayList<>();
        for (int i = 0; i < verdicts.length(); i++) {
            if (signal.update(verdicts.charAt(i) == 'd')) {
                alerts.add(i);
            }
        }
        return alerts;
    }
}

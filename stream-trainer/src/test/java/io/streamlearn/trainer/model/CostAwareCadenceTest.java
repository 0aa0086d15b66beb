package io.streamlearn.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostAwareCadenceTest {

    private static final long MS = 1_000_000L;

    @Test
    void aCheapModelIsWrittenEveryTargetSteps() {
        CostAwareCadence cadence = new CostAwareCadence(1_000, 100_000, 0.1, 0);
        assertThat(cadence.due(999, 10 * MS)).isFalse();
        assertThat(cadence.due(1_000, 10 * MS)).isTrue();
        cadence.written(11 * MS, 1 * MS, 40_000);
        assertThat(cadence.due(1_000, 21 * MS)).isTrue();
    }

    @Test
    void anExpensiveModelWaitsUntilItsLastWriteIsAtMostTheAllowedShareOfTheTimeSince() {
        CostAwareCadence cadence = new CostAwareCadence(1_000, 100_000, 0.1, 0);
        cadence.written(2_000 * MS, 2_000 * MS, 100L << 20);
        assertThat(cadence.due(5_000, 3_000 * MS)).as("1 s after a 2 s write").isFalse();
        assertThat(cadence.due(50_000, 21_999 * MS)).isFalse();
        assertThat(cadence.due(50_000, 22_000 * MS)).as("20 s after a 2 s write").isTrue();
        assertThat(cadence.lastCostNanos()).isEqualTo(2_000 * MS);
        assertThat(cadence.lastBytes()).isEqualTo(100L << 20);
    }

    @Test
    void theJournalCapacityForcesAWriteWhateverItCosts() {
        CostAwareCadence cadence = new CostAwareCadence(1_000, 100_000, 0.1, 0);
        cadence.written(60_000 * MS, 60_000 * MS, 1L << 30);
        assertThat(cadence.due(99_999, 60_001 * MS)).isFalse();
        assertThat(cadence.due(100_000, 60_001 * MS)).isTrue();
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> new CostAwareCadence(0, 10, 0.1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CostAwareCadence(10, 5, 0.1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CostAwareCadence(1, 5, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

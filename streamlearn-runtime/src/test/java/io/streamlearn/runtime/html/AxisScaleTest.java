package io.streamlearn.runtime.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AxisScaleTest {

    @Test
    void valueAxesWidenToTicksInStepsOfOneTwoOrFiveTimesAPowerOfTen() {
        AxisScale accuracy = AxisScale.nice(0.63, 0.91);
        assertThat(accuracy.step()).isCloseTo(0.05, within(1e-12));
        assertThat(accuracy.min()).isCloseTo(0.60, within(1e-12));
        assertThat(accuracy.max()).isCloseTo(0.95, within(1e-12));
        assertThat(accuracy.ticks()).hasSize(8);
        assertThat(accuracy.label(accuracy.ticks().get(0))).isEqualTo("0.60");

        assertThat(AxisScale.nice(0, 52.19).ticks()).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0);
        assertThat(AxisScale.nice(0, 0.0131).step()).isCloseTo(0.002, within(1e-12));
    }

    @Test
    void positionAxesKeepTheirEndsAndWriteThousandsShort() {
        AxisScale events = AxisScale.exact(100, 45_312);
        assertThat(events.min()).isEqualTo(100);
        assertThat(events.max()).isEqualTo(45_312);
        assertThat(events.ticks().stream().map(events::label))
                .containsExactly("10k", "20k", "30k", "40k");
        assertThat(AxisScale.exactWhole(1, 3).ticks()).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void aFlatOrEmptyRangeStillHasAnAxis() {
        assertThat(AxisScale.nice(0.5, 0.5).ticks()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(AxisScale.nice(Double.NaN, Double.NaN).ticks()).contains(0.0, 1.0);
        assertThat(AxisScale.nice(0, 0).ticks()).hasSizeGreaterThanOrEqualTo(2);
    }
}

package io.streamlearn.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SteadyRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void measuresFromTheFirstSampleAtHalfTheEventsToTheFirstAtAllOfThem() {
        SteadyRate rate = new SteadyRate();
        rate.record(0, 0);
        rate.record(SECOND, 100);           // a slow start: left out
        rate.record(2 * SECOND, 600);       // past half of 1,000
        rate.record(3 * SECOND, 900);
        rate.record(4 * SECOND, 1_000);     // all of them
        rate.record(5 * SECOND, 1_000);
        assertThat(rate.secondHalf(1_000)).hasValue(200.0);
    }

    @Test
    void isEmptyUntilEveryEventIsCountedOrWhenOneSampleSpansTheHalf() {
        SteadyRate unfinished = new SteadyRate();
        unfinished.record(0, 0);
        unfinished.record(SECOND, 700);
        assertThat(unfinished.secondHalf(1_000)).isEmpty();

        SteadyRate oneJump = new SteadyRate();
        oneJump.record(0, 0);
        oneJump.record(SECOND, 1_000);
        assertThat(oneJump.secondHalf(1_000)).isEmpty();
    }
}

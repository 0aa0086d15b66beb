package io.streamlearn.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessBenchTest {

    private static final long MS = 1_000_000;

    @Test
    void eventIsFreshWhenTheFirstVersionCoveringItsOffsetAnswers() {
        List<FreshnessBench.Sample> samples = List.of(new FreshnessBench.Sample(0, 0),
                new FreshnessBench.Sample(10, 100 * MS), new FreshnessBench.Sample(20, 200 * MS));
        // Version 1 learned offsets 0..9, version 2 offsets 0..20.
        List<FreshnessBench.Coverage> coverage = List.of(new FreshnessBench.Coverage(300 * MS, 1, 10),
                new FreshnessBench.Coverage(700 * MS, 2, 21));

        assertThat(FreshnessBench.latenciesMs(samples, coverage)).containsExactly(300.0, 600.0, 500.0);
    }

    @Test
    void eventNoServedVersionLearnedIsLeftOut() {
        List<FreshnessBench.Sample> samples = List.of(new FreshnessBench.Sample(5, 0),
                new FreshnessBench.Sample(50, 0));

        assertThat(FreshnessBench.latenciesMs(samples, List.of(new FreshnessBench.Coverage(MS, 1, 6))))
                .containsExactly(1.0);
    }

    @Test
    void percentileIsTheNearestRank() {
        List<Double> sorted = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);

        assertThat(FreshnessBench.percentile(sorted, 0.5)).isEqualTo(5.0);
        assertThat(FreshnessBench.percentile(sorted, 0.99)).isEqualTo(10.0);
        assertThat(FreshnessBench.percentile(sorted, 1.0)).isEqualTo(10.0);
        assertThat(FreshnessBench.percentile(List.of(), 0.5)).isNaN();
    }
}

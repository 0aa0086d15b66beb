package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimeSplitTest {

    @Test
    void splitsByEventTimeWithoutLeakageEvenWhenRowsArriveOutOfOrder() {
        LabeledWindow ordered = SyntheticWindows.binary(1000, 1, 0);
        long[] times = ordered.times().clone();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = times.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = times[i];
            times[i] = times[j];
            times[j] = swap;
        }
        double[] labels = ordered.labels().clone();
        for (int i = 0; i < labels.length; i += 10) {
            labels[i] = Double.NaN;
        }
        LabeledWindow window = new LabeledWindow(ordered.schema(), ordered.features(), labels, times);

        TimeSplit split = TimeSplit.of(window, SyntheticWindows.quick());

        assertThat(max(times, split.train())).isLessThanOrEqualTo(min(times, split.validation()));
        assertThat(max(times, split.validation())).isLessThanOrEqualTo(min(times, split.test()));
        WindowSplit summary = split.summary();
        assertThat(summary.unlabelled()).isEqualTo(100);
        assertThat(summary.trainRows() + summary.validationRows() + summary.testRows()).isEqualTo(900);
        assertThat(summary.trainRows()).isEqualTo(540);
        assertThat(summary.validationRows()).isEqualTo(180);
        assertThat(summary.maxTrainTime()).isLessThanOrEqualTo(summary.minValidationTime());
        assertThat(summary.maxValidationTime()).isLessThanOrEqualTo(summary.minTestTime());
        List<Integer> all = new ArrayList<>();
        for (int[] part : List.of(split.train(), split.validation(), split.test())) {
            Arrays.stream(part).forEach(all::add);
        }
        assertThat(all).doesNotHaveDuplicates().noneMatch(i -> Double.isNaN(labels[i]));
    }

    @Test
    void equalTimesKeepStreamOrder() {
        LabeledWindow ordered = SyntheticWindows.binary(200, 1, 0);
        LabeledWindow window = new LabeledWindow(ordered.schema(), ordered.features(), ordered.labels(), new long[200]);

        TimeSplit split = TimeSplit.of(window, SyntheticWindows.quick());

        assertThat(split.train()).startsWith(0, 1, 2);
        assertThat(split.test()[split.test().length - 1]).isEqualTo(199);
    }

    private static long max(long[] times, int[] rows) {
        return Arrays.stream(rows).mapToLong(i -> times[i]).max().orElseThrow();
    }

    private static long min(long[] times, int[] rows) {
        return Arrays.stream(rows).mapToLong(i -> times[i]).min().orElseThrow();
    }
}

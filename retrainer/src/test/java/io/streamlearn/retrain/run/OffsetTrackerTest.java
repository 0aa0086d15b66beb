package io.streamlearn.retrain.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void aPartitionCommitsOnlyPastRequestsThatAreAllAnswered() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.received(0, 10);
        tracker.received(0, 11);
        tracker.received(0, 12);
        tracker.answered(0, 11);
        assertThat(tracker.drainCommittable()).isEmpty();
        tracker.answered(0, 10);
        assertThat(tracker.drainCommittable()).isEqualTo(Map.of(0, 12L));
        assertThat(tracker.drainCommittable()).as("each commit point is handed out once").isEmpty();
        tracker.answered(0, 12);
        assertThat(tracker.drainCommittable()).isEqualTo(Map.of(0, 13L));
    }

    @Test
    void partitionsAreIndependentAndAForgottenOneCommitsNothing() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.received(0, 5);
        tracker.received(1, 7);
        tracker.answered(1, 7);
        tracker.forget(0);
        tracker.answered(0, 5);
        assertThat(tracker.drainCommittable()).isEqualTo(Map.of(1, 8L));
    }
}

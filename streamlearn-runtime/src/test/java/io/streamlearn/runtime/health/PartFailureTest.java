package io.streamlearn.runtime.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartFailureTest {

    @Test
    void runsUntilAFailureIsRecordedAndKeepsTheFirstOne() {
        PartFailure failure = new PartFailure("trainer", "it resumes from the last commit");
        assertThat(failure.reason()).isEmpty();

        assertThat(failure.record("the trainer's Kafka Streams client stopped", new IllegalStateException("boom")))
                .isTrue();
        assertThat(failure.record("a second report of the same death", null)).isFalse();

        assertThat(failure.reason()).hasValue(
                "the trainer's Kafka Streams client stopped: java.lang.IllegalStateException: boom");
        assertThat(failure.part()).isEqualTo("trainer");
    }

    @Test
    void describesAWrappedExceptionWithItsRootCauseOnOneLine() {
        Exception wrapped = new RuntimeException("sending failed\nfor task 0_0",
                new IllegalStateException("outer", new OutOfMemoryError("Java heap space")));

        assertThat(PartFailure.describe(wrapped)).isEqualTo("java.lang.RuntimeException: sending failed for task 0_0 "
                + "(caused by java.lang.OutOfMemoryError: Java heap space)");
        assertThat(PartFailure.describe(new RuntimeException("send failed due to java.lang.OutOfMemoryError: heap",
                new OutOfMemoryError("heap"))))
                .isEqualTo("java.lang.RuntimeException: send failed due to java.lang.OutOfMemoryError: heap");
    }

    @Test
    void boundsAReasonBuiltFromAHugeMessage() {
        PartFailure failure = new PartFailure("retrainer", "requests are answered again");
        failure.record("the loop stopped", new IllegalArgumentException("x".repeat(100_000)));

        assertThat(failure.reason().orElseThrow()).hasSize(PartFailure.MAX_REASON_CHARS).endsWith("…");
    }

    @Test
    void onlyABrokenJvmIsFatalToAPartWhileAHostileRecordsErrorsAreNot() {
        assertThat(PartFailure.isFatal(new InternalError("broken"))).isTrue();
        assertThat(PartFailure.isFatal(new UnknownError("broken"))).isTrue();
        assertThat(PartFailure.isFatal(new OutOfMemoryError("Java heap space"))).isFalse();
        assertThat(PartFailure.isFatal(new StackOverflowError())).isFalse();
        assertThat(PartFailure.isFatal(new NoClassDefFoundError("org/apache/commons/math3/Foo"))).isFalse();
        assertThat(PartFailure.isFatal(new IllegalArgumentException("bad record"))).isFalse();
        assertThatThrownBy(() -> PartFailure.rethrowIfFatal(new InternalError("broken")))
                .isInstanceOf(InternalError.class);
        PartFailure.rethrowIfFatal(new OutOfMemoryError("survived"));
    }
}

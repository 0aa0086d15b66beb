package io.streamlearn.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that a record is refused for the expected reason, blaming the expected field. */
public final class Rejections {

    private Rejections() {
    }

    public static void assertRejected(ThrowingCallable call, RejectReason reason, String field) {
        InvalidRecordException rejection = catchThrowableOfType(InvalidRecordException.class, call);
        assertThat(rejection).as("expected a rejection for %s", reason).isNotNull();
        assertThat(rejection.reason()).as("reason (%s)", rejection.getMessage()).isEqualTo(reason);
        assertThat(rejection.field()).as("field (%s)", rejection.getMessage()).isEqualTo(field);
    }
}

package io.streamlearn.core.event;

/** A record that breaks the event contract or the model's schema; it carries the reason and the offending field. */
public final class InvalidRecordException extends Exception {

    private final RejectReason reason;
    private final String field;

    public InvalidRecordException(RejectReason reason, String field, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The JSON field at fault, or {@code null} when the record as a whole is. */
    public String field() {
        return field;
    }
}

package io.streamlearn.retrain.run;

/** A run that cannot produce a challenger (too few rows, no labels, no model, a trainer failure); it is recorded failed. */
public final class TrainingFailedException extends Exception {

    private final String reason;

    /** @param reason a short code for the record and the metrics: {@code too_few_rows}, {@code no_model}, ... */
    public TrainingFailedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TrainingFailedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}

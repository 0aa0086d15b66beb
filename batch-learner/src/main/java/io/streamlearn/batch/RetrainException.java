package io.streamlearn.batch;

/**
 * A retrain run that could not produce a challenger; nothing was trained to completion and nothing should be
 * promoted. {@link #reason()} says which kind of failure it was, for the run record and metrics.
 */
public final class RetrainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a run failed; the JSON name is {@link #name()} in lower case. */
    public enum Reason {
        /** No row of the window carries a label. */
        NO_LABELS,
        /** Every labelled row has the same class: there is nothing to separate. */
        ONE_CLASS,
        /** Fewer labelled rows than the settings' minimum (each split needs enough rows to score). */
        TOO_FEW_ROWS,
        /** Rows × features above the settings' guard against exhausting memory. */
        TOO_LARGE,
        /** Rows that do not fit the schema, or labels outside its classes. */
        BAD_DATA,
        /** The settings demand a GPU and XGBoost did not train on one. */
        GPU_REQUIRED,
        /** XGBoost itself failed. */
        TRAINING_FAILED,
        /**
         * The model's task has no batch learner: a cluster model, whose labels (if any) only evaluate it. A challenger
         * trained on them would be a classifier, and promoted it would answer classes in place of clusters.
         */
        UNSUPPORTED_TASK
    }

    private final Reason reason;

    public RetrainException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RetrainException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

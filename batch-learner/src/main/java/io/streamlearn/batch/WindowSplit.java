package io.streamlearn.batch;

/**
 * How the labelled rows of a window were split, by event time (oldest first, no shuffling): training, then validation,
 * then the held-out test rows. Times are epoch milliseconds, inclusive; {@code maxTrainTime <= minValidationTime} and
 * {@code maxValidationTime <= minTestTime} always hold.
 *
 * @param unlabelled rows of the window dropped for want of a label
 */
public record WindowSplit(int trainRows, int validationRows, int testRows, int unlabelled, long minTrainTime,
        long maxTrainTime, long minValidationTime, long maxValidationTime, long minTestTime, long maxTestTime) {
}

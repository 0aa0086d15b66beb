package io.streamlearn.batch;

/**
 * The challenger against one champion on the test split.
 *
 * @param champion           the champion's label
 * @param challengerError    1 - accuracy (classes) or mean absolute error (values) of the challenger
 * @param championError      the same for the champion
 * @param improvement        relative error reduction, {@code 1 - challengerError / championError} (-1 when
 *                           only the challenger made errors)
 * @param test               {@code mcnemar-exact}, {@code mcnemar-chi2-cc} or {@code wilcoxon-signed-rank}
 * @param statistic          the test's statistic
 * @param pValue             two-sided p-value of "both are equally good"
 * @param wins               the challenger is better by at least the margin and significantly so
 */
public record Comparison(String champion, double challengerError, double championError, double improvement,
        String test, double statistic, double pValue, boolean wins) {
}

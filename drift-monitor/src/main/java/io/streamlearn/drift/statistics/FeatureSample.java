package io.streamlearn.drift.statistics;

/**
 * What a window holds of one feature: a mergeable summary of bounded size, plus how often the value was missing.
 * {@link NumericSample} for numbers, {@link NominalSample} for categories.
 */
public sealed interface FeatureSample permits NumericSample, NominalSample {

    /** Observations with a value. */
    long count();

    /** Observations where the feature was absent or null. */
    long missing();

    void addMissing();

    /** {@code missing / (count + missing)}, NaN for an empty window. */
    default double missingRate() {
        long total = count() + missing();
        return total == 0 ? Double.NaN : (double) missing() / total;
    }

    /** Adds {@code other}'s observations to this one; both must be of the same kind. */
    void merge(FeatureSample other);
}

package io.streamlearn.drift.concept;

import java.io.Serializable;

/**
 * A change detector on the prequential error stream of one model: 0 for a correct prediction, 1 for a wrong one.
 * MOA's detectors sit behind this interface ({@link ConceptDriftDetectors}); nothing else knows MOA.
 */
public interface ConceptDriftDetector extends Serializable {

    /** Feeds the next error; true when a change is detected at this point. */
    boolean update(double error);

    /** The detector's current estimate of the error rate. */
    double estimation();

    /** The detector's name in alerts and metrics, e.g. {@code adwin}. */
    String name();
}

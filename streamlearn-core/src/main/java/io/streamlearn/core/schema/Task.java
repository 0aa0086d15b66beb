package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a model learns. Classification and regression follow from the target's type; the unsupervised tasks are
 * declared in the schema ({@code "task": "anomaly"} or {@code "cluster"}), where the target is an optional label used
 * only to evaluate.
 */
public enum Task {
    CLASSIFICATION,
    REGRESSION,
    /** A score per event, higher meaning more anomalous; a label, when given, says whether the event was one. */
    ANOMALY,
    /** A cluster id per event; labels are not needed. */
    CLUSTER;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static Task fromJson(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown task '" + name
                    + "' (expected classification, regression, anomaly or cluster)", e);
        }
    }

    /**
     * False for clustering: a retrain trains a supervised batch model on the labels, which only evaluate a clusterer,
     * and promoted it would answer classes in place of clusters.
     */
    public boolean retrainable() {
        return this != CLUSTER;
    }

    /** True for the tasks whose learner trains on every event, labelled or not. */
    public boolean unsupervised() {
        return this == ANOMALY || this == CLUSTER;
    }
}

package io.streamlearn.core.schema;

/** The learning task follows from the target's type. */
public enum Task {
    CLASSIFICATION,
    REGRESSION
}

package io.streamlearn.drift.kafka;

/** What the drift processor emits, keyed by model: an alert for {@code drift-alerts} or a retraining request. */
record DriftOutput(Target target, byte[] value) {

    enum Target { ALERT, RETRAIN_REQUEST }
}

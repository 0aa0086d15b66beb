package io.streamlearn.trainer.kafka;

/** What the training processor emits, routed to one topic per kind. */
public sealed interface TrainerOutput {

    byte[] value();

    record PredictionMade(byte[] value) implements TrainerOutput {
    }

    record DeadLetter(byte[] value) implements TrainerOutput {
    }

    record Snapshot(byte[] value) implements TrainerOutput {
    }

    record AnomalyAlert(byte[] value) implements TrainerOutput {
    }
}

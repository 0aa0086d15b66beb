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

    /** A step for one shard of a sharded model, keyed {@code model#shard}. */
    record ShardStepSent(byte[] value) implements TrainerOutput {
    }

    /** A shard's votes for one event, keyed by the event ({@link PendingKey}) for the vote stage. */
    record Vote(byte[] value) implements TrainerOutput {
    }
}

package io.streamlearn.retrain.run;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run ids that sort by model, then start time: {@code <model>-<epochMillis, 13 digits>-<sequence, 4 digits>}. The
 * sequence separates runs started in the same millisecond by this process; one instance owns a model's requests, so
 * ids of one model never collide across instances.
 */
public final class RunIds {

    private final AtomicInteger sequence = new AtomicInteger();

    public String next(String model, long startedAt) {
        return String.format("%s-%013d-%04d", model, startedAt, sequence.incrementAndGet() % 10_000);
    }
}

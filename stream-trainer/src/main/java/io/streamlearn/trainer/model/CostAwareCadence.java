package io.streamlearn.trainer.model;

/**
 * Decides when a model is written whole (a checkpoint, or a snapshot for {@code models}) from how many steps changed it
 * since and from what the last write cost. A small model is written every {@code targetSteps}; a large one waits until
 * the time since its last write is at least its cost divided by {@code maxCostFraction}, so writing itself never takes
 * more than that share of the stream thread, however large the model grows. {@code maxSteps} bounds the wait (the
 * journal's capacity, and with it the replay after a crash).
 *
 * <p>Not thread-safe: one per model, on its stream thread.
 */
public final class CostAwareCadence {

    private final long targetSteps;
    private final long maxSteps;
    private final double maxCostFraction;
    private long lastWriteAtNanos;
    private long lastCostNanos;
    private long lastBytes;

    /**
     * @param nowNanos when counting starts ({@link System#nanoTime()}), so the first write is not deferred by the
     *                 process's age
     */
    public CostAwareCadence(long targetSteps, long maxSteps, double maxCostFraction, long nowNanos) {
        if (targetSteps < 1 || maxSteps < targetSteps) {
            throw new IllegalArgumentException("need 1 <= targetSteps <= maxSteps, got " + targetSteps + " and "
                    + maxSteps);
        }
        if (!(maxCostFraction > 0 && maxCostFraction <= 1)) {
            throw new IllegalArgumentException("cost fraction must be in (0, 1], got " + maxCostFraction);
        }
        this.targetSteps = targetSteps;
        this.maxSteps = maxSteps;
        this.maxCostFraction = maxCostFraction;
        this.lastWriteAtNanos = nowNanos;
    }

    /** Whether to write now, {@code steps} after the last write. */
    public boolean due(long steps, long nowNanos) {
        if (steps >= maxSteps) {
            return true;
        }
        return steps >= targetSteps && lastCostNanos <= maxCostFraction * (nowNanos - lastWriteAtNanos);
    }

    /** Records a write that ended at {@code nowNanos}, took {@code costNanos} and wrote {@code bytes}. */
    public void written(long nowNanos, long costNanos, long bytes) {
        lastWriteAtNanos = nowNanos;
        lastCostNanos = costNanos;
        lastBytes = bytes;
    }

    public long lastCostNanos() {
        return lastCostNanos;
    }

    public long lastBytes() {
        return lastBytes;
    }
}

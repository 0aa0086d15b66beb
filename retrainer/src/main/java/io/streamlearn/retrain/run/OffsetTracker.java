package io.streamlearn.retrain.run;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which offsets of {@code retrain-requests} may be committed. Requests of one partition finish out of order (a
 * request of another model may be answered first), and a committed offset says every record before it is done, so a
 * partition's commit point only moves past a request once every earlier one has been answered. Thread-safe: runs
 * finish on their threads, the consumer reads on its own.
 */
public final class OffsetTracker {

    /** Per partition, the requests not yet answered or answered but behind an unanswered one. */
    private final Map<Integer, TreeMap<Long, Boolean>> open = new HashMap<>();
    private final Map<Integer, Long> committable = new HashMap<>();

    public synchronized void received(int partition, long offset) {
        open.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, false);
    }

    public synchronized void answered(int partition, long offset) {
        TreeMap<Long, Boolean> offsets = open.get(partition);
        if (offsets == null || !offsets.containsKey(offset)) {
            return;
        }
        offsets.put(offset, true);
        Iterator<Map.Entry<Long, Boolean>> entries = offsets.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Long, Boolean> entry = entries.next();
            if (!entry.getValue()) {
                break;
            }
            committable.put(partition, entry.getKey() + 1);
            entries.remove();
        }
    }

    /** The offsets to commit now (the next record to read, per partition); each is returned once. */
    public synchronized Map<Integer, Long> drainCommittable() {
        Map<Integer, Long> drained = Map.copyOf(committable);
        committable.clear();
        return drained;
    }

    /** A partition this instance no longer owns: its requests will be read again by the new owner. */
    public synchronized void forget(int partition) {
        open.remove(partition);
        committable.remove(partition);
    }
}

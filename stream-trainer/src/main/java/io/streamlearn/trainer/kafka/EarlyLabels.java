package io.streamlearn.trainer.kafka;

import io.streamlearn.trainer.model.HeldLabel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Labels that arrived before their events, in a changelogged store (so a held label survives a crash exactly as the
 * input offsets do) with a count bound, a byte budget and a time to live. Ids and labels are chosen by whoever
 * produces to {@code labels}, so the hold is bounded in bytes as well as in count: a label that would take it over
 * its budget first evicts the oldest held ones, which the caller dead-letters. Which labels are held, their sizes and
 * their arrival order are kept in memory (bounded by the same budget) and rebuilt from the store, oldest record
 * timestamp first, whenever the task is initialised; an empty hold costs an event no store lookup.
 */
final class EarlyLabels {

    /** What memory keeps of a held label: its record timestamp and what it costs the budget. */
    private record Entry(long timestamp, long bytes) {
    }

    private final KeyValueStore<String, byte[]> store;
    private final long maxHeld;
    private final long maxBytes;
    /** Every held key, oldest first. */
    private final LinkedHashMap<String, Entry> held = new LinkedHashMap<>();
    private long heldBytes;

    EarlyLabels(KeyValueStore<String, byte[]> store, long maxHeld, long maxBytes) {
        this.store = store;
        this.maxHeld = maxHeld;
        this.maxBytes = maxBytes;
        List<Map.Entry<String, Entry>> found = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                found.add(Map.entry(entry.key, new Entry(HeldLabel.decode(entry.value).timestamp(),
                        bytes(entry.key, entry.value))));
            }
        }
        found.sort(Comparator.comparingLong(entry -> entry.getValue().timestamp()));
        found.forEach(entry -> add(entry.getKey(), entry.getValue()));
    }

    /**
     * Holds the label, first evicting the oldest held labels, handed with their keys to {@code evicted}, while it
     * would take the hold over its byte budget.
     *
     * @return false, holding nothing and evicting nothing, when the hold is full by count, already holds a label for
     *         this key, or the label alone is larger than the whole budget
     */
    boolean hold(String key, HeldLabel label, BiConsumer<String, HeldLabel> evicted) {
        byte[] value = label.encode();
        long bytes = bytes(key, value);
        if (held.size() >= maxHeld || bytes > maxBytes || held.containsKey(key)) {
            return false;
        }
        Iterator<Map.Entry<String, Entry>> oldest = held.entrySet().iterator();
        while (heldBytes + bytes > maxBytes) {
            Map.Entry<String, Entry> victim = oldest.next();
            oldest.remove();
            heldBytes -= victim.getValue().bytes();
            HeldLabel dropped = HeldLabel.decode(store.get(victim.getKey()));
            store.delete(victim.getKey());
            evicted.accept(victim.getKey(), dropped);
        }
        store.put(key, value);
        add(key, new Entry(label.timestamp(), bytes));
        return true;
    }

    /** The label held for this key, removed from the hold; null when none is. */
    HeldLabel take(String key) {
        // Memory knows every held key: an event whose label is not held costs no store lookup.
        Entry entry = held.remove(key);
        if (entry == null) {
            return null;
        }
        heldBytes -= entry.bytes();
        byte[] value = store.get(key);
        store.delete(key);
        return HeldLabel.decode(value);
    }

    /** Removes every label older than {@code horizon} and hands it, with its key, to {@code expired}. */
    void expire(long horizon, BiConsumer<String, HeldLabel> expired) {
        Iterator<Map.Entry<String, Entry>> all = held.entrySet().iterator();
        List<String> keys = new ArrayList<>();
        while (all.hasNext()) {
            Map.Entry<String, Entry> entry = all.next();
            if (entry.getValue().timestamp() < horizon) {
                all.remove();
                heldBytes -= entry.getValue().bytes();
                keys.add(entry.getKey());
            }
        }
        for (String key : keys) {
            HeldLabel label = HeldLabel.decode(store.get(key));
            store.delete(key);
            expired.accept(key, label);
        }
    }

    /** Bytes the hold takes now: keys (UTF-8) and values, as the budget counts them. */
    long heldBytes() {
        return heldBytes;
    }

    private void add(String key, Entry entry) {
        held.put(key, entry);
        heldBytes += entry.bytes();
    }

    private static long bytes(String key, byte[] value) {
        return key.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
    }
}

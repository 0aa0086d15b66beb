package io.streamlearn.drift.kafka;

import io.streamlearn.drift.window.Observation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins a model's trainer predictions with their labels by event id, whichever comes first: a label inline in an
 * event usually precedes the trainer's prediction of it, a label on {@code labels} usually follows. The side that
 * waits is kept in a changelogged store (so the join is exactly-once with the input offsets), bounded per model: at
 * most {@code maxPending} entries of at most {@code maxBytes} together, and none older than {@code ttlMillis} (by
 * record time). What leaves unjoined is dropped and counted by the caller.
 *
 * <p>Keys: {@code p\0model\0id} the waiting side, which ends with its number n (the n-th entry added for the model);
 * {@code b\0model} the bytes its waiting entries take, then the next number. The store is only written: each model's
 * waiting entries are read once, when the task first meets the model, into memory in number order, where the
 * oldest-first sweep finds them; so an event costs one or two store writes per side instead of a dozen reads and writes
 * (JFR of bench-drift: the join was a sixth of the monitor's stream thread). An entry counts against
 * {@code maxPending} from its number to the next, joined entries in between included, as before.
 *
 * <p>State of earlier builds (an index key {@code o\0model\0n} per entry, {@code h\0model} the oldest indexed entry,
 * {@code n\0model} the next number, an 8-byte {@code b\0model}, absent in builds before that: counted from 0) is read
 * the same way, and those keys deleted.
 */
final class LabelJoin {

    /** Why a waiting entry left unjoined: too old, or pushed out by newer ones. */
    enum Drop { EXPIRED, OVERFLOW }

    /** A prediction with its label; {@code at} is where the prediction lies (position, partition, offset, time). */
    record Joined(Observation at, Object prediction, Object label) {
    }

    /** Told of each dropped entry: the model, why, and whether it was a prediction (else a label). */
    interface DropListener {
        void dropped(String model, Drop reason, boolean prediction);
    }

    private static final byte PREDICTION = 1;
    private static final byte LABEL = 2;
    /** Where an entry's record time lies: after its type, position, partition and offset. */
    private static final int TIMESTAMP_AT = 1 + 8 + 4 + 8;

    /** One model's waiting entries (id to stored bytes) in number order, the bytes they take and the next number. */
    private static final class Waiting {
        private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
        private long bytes;
        private long next = 1;
    }

    private final KeyValueStore<String, byte[]> store;
    private final long maxPending;
    private final long maxBytes;
    private final long ttlMillis;
    private final DropListener listener;
    private final Map<String, Waiting> models = new HashMap<>();

    LabelJoin(KeyValueStore<String, byte[]> store, long maxPending, long maxBytes, long ttlMillis,
            DropListener listener) {
        this.store = store;
        this.maxPending = maxPending;
        this.maxBytes = maxBytes;
        this.ttlMillis = ttlMillis;
        this.listener = listener;
    }

    /** A trainer prediction (a class, a value or null) at {@code at}; joined when its label waits. */
    Optional<Joined> prediction(String model, String id, Object prediction, Observation at) {
        Waiting state = waiting(model);
        byte[] waiting = state.entries.get(id);
        if (waiting != null && waiting[0] == LABEL) {
            remove(model, state, id, waiting);
            return Optional.of(new Joined(at, prediction, decode(waiting).value()));
        }
        add(model, state, id, encode(PREDICTION, at, prediction), at.timestamp());
        return Optional.empty();
    }

    /** A label (a class name or a number) of event {@code id}; joined when its prediction waits. */
    Optional<Joined> label(String model, String id, Object label, long timestamp) {
        Waiting state = waiting(model);
        byte[] waiting = state.entries.get(id);
        if (waiting != null && waiting[0] == PREDICTION) {
            remove(model, state, id, waiting);
            Entry prediction = decode(waiting);
            return Optional.of(new Joined(prediction.at(), prediction.value(), label));
        }
        add(model, state, id, encode(LABEL, new Observation(0, 0, 0, timestamp, Map.of()), label), timestamp);
        return Optional.empty();
    }

    private void remove(String model, Waiting state, String id, byte[] waiting) {
        state.entries.remove(id);
        store.delete(entryKey(model, id));
        state.bytes = Math.max(0, state.bytes - size(model, id, waiting));
        writeCounters(model, state);
    }

    private void add(String model, Waiting state, String id, byte[] entry, long now) {
        byte[] waiting = ByteBuffer.allocate(entry.length + 8).put(entry).putLong(state.next).array();
        byte[] replaced = state.entries.remove(id);
        state.entries.put(id, waiting);
        store.put(entryKey(model, id), waiting);
        state.bytes = Math.max(0, state.bytes + size(model, id, waiting)
                - (replaced == null ? 0 : size(model, id, replaced)));
        state.next++;
        sweep(model, state, now);
        writeCounters(model, state);
    }

    /** Drops, oldest first, entries beyond {@code maxPending} or older than the TTL. */
    private void sweep(String model, Waiting state, long now) {
        for (Iterator<Map.Entry<String, byte[]>> oldest = state.entries.entrySet().iterator(); oldest.hasNext(); ) {
            Map.Entry<String, byte[]> entry = oldest.next();
            byte[] waiting = entry.getValue();
            long timestamp = ByteBuffer.wrap(waiting, TIMESTAMP_AT, 8).getLong();
            Drop drop = timestamp < now - ttlMillis ? Drop.EXPIRED
                    : state.next - number(waiting) > maxPending || state.bytes > maxBytes ? Drop.OVERFLOW : null;
            if (drop == null) {
                break;
            }
            oldest.remove();
            store.delete(entryKey(model, entry.getKey()));
            state.bytes = Math.max(0, state.bytes - size(model, entry.getKey(), waiting));
            listener.dropped(model, drop, waiting[0] == PREDICTION);
        }
    }

    private void writeCounters(String model, Waiting state) {
        store.put("b\0" + model, ByteBuffer.allocate(16).putLong(state.bytes).putLong(state.next).array());
    }

    /** The model's waiting entries, read from the store the first time (and earlier builds' keys deleted). */
    private Waiting waiting(String model) {
        Waiting state = models.get(model);
        if (state == null) {
            state = load(model);
            models.put(model, state);
        }
        return state;
    }

    private Waiting load(String model) {
        Waiting state = new Waiting();
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> stored = store.range(entryKey(model, ""), "p\0" + model + '\1')) {
            stored.forEachRemaining(entries::add);
        }
        entries.sort(Comparator.comparingLong(entry -> number(entry.value)));
        String prefix = entryKey(model, "");
        entries.forEach(entry -> state.entries.put(entry.key.substring(prefix.length()), entry.value));
        byte[] counters = store.get("b\0" + model);
        state.bytes = counters == null ? 0 : ByteBuffer.wrap(counters).getLong();
        if (counters != null && counters.length == 16) {
            state.next = ByteBuffer.wrap(counters, 8, 8).getLong();
        } else {
            byte[] next = store.get("n\0" + model);
            if (next != null) {
                state.next = ByteBuffer.wrap(next).getLong();
                forgetIndex(model);
            }
        }
        return state;
    }

    /** Deletes the index of earlier builds: an entry's number is in the entry now. */
    private void forgetIndex(String model) {
        List<String> keys = new ArrayList<>(List.of("n\0" + model));
        if (store.get("h\0" + model) != null) {
            keys.add("h\0" + model);
        }
        try (KeyValueIterator<String, byte[]> index = store.range("o\0" + model + '\0', "o\0" + model + '\1')) {
            index.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    /**
     * What a waiting entry takes in the store, the index entry of earlier builds included (keys as UTF-16 is close
     * enough): kept as it was, so {@code drift.pending.max.bytes} means what it meant.
     */
    private static long size(String model, String id, byte[] waiting) {
        return waiting.length + 2L * (model.length() + id.length()) + 40;
    }

    /** The bytes {@code model}'s waiting entries take. */
    long pendingBytes(String model) {
        return waiting(model).bytes;
    }

    private record Entry(Observation at, Object value) {
    }

    private static byte[] encode(byte type, Observation at, Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type);
            out.writeLong(at.position());
            out.writeInt(at.partition());
            out.writeLong(at.offset());
            out.writeLong(at.timestamp());
            if (value instanceof Double number) {
                out.writeByte('d');
                out.writeDouble(number);
            } else if (value == null) {
                out.writeByte('n');
            } else {
                out.writeByte('s');
                out.writeUTF(value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Entry decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 9))) {
            Observation at = new Observation(in.readLong(), in.readInt(), in.readLong(), in.readLong(), Map.of());
            byte tag = in.readByte();
            Object value = tag == 'd' ? (Object) in.readDouble() : tag == 'n' ? null : in.readUTF();
            return new Entry(at, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String entryKey(String model, String id) {
        return "p\0" + model + '\0' + id;
    }

    /** An entry's number, at its end. */
    private static long number(byte[] waiting) {
        return ByteBuffer.wrap(waiting, waiting.length - 8, 8).getLong();
    }
}

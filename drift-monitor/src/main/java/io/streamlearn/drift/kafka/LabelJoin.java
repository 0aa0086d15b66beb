package io.streamlearn.drift.kafka;

import io.streamlearn.drift.window.Observation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins a model's trainer predictions with their labels by event id, whichever comes first: a label inline in an
 * event usually precedes the trainer's prediction of it, a label on {@code labels} usually follows. The side that
 * waits is kept in a changelogged store (so the join is exactly-once with the input offsets), bounded per model: at
 * most {@code maxPending} entries of at most {@code maxBytes} together, and none older than {@code ttlMillis} (by
 * record time). What leaves unjoined is dropped and counted by the caller.
 *
 * <p>Keys: {@code p\0model\0id} the waiting side; {@code o\0model\0n} the id of the n-th entry, so the oldest is found
 * with point lookups alone; {@code h\0model} and {@code n\0model} the oldest entry still indexed and the next number;
 * {@code b\0model} the bytes its waiting entries take (absent in state of earlier builds: counted from 0).
 * An index entry whose record was joined is removed when the oldest-first sweep reaches it.
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

    private final KeyValueStore<String, byte[]> store;
    private final long maxPending;
    private final long maxBytes;
    private final long ttlMillis;
    private final DropListener listener;

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
        byte[] waiting = store.get(entryKey(model, id));
        if (waiting != null && waiting[0] == LABEL) {
            store.delete(entryKey(model, id));
            addBytes(model, -size(model, id, waiting));
            return Optional.of(new Joined(at, prediction, decode(waiting).value()));
        }
        add(model, id, encode(PREDICTION, at, prediction), at.timestamp());
        return Optional.empty();
    }

    /** A label (a class name or a number) of event {@code id}; joined when its prediction waits. */
    Optional<Joined> label(String model, String id, Object label, long timestamp) {
        byte[] waiting = store.get(entryKey(model, id));
        if (waiting != null && waiting[0] == PREDICTION) {
            store.delete(entryKey(model, id));
            addBytes(model, -size(model, id, waiting));
            Entry prediction = decode(waiting);
            return Optional.of(new Joined(prediction.at(), prediction.value(), label));
        }
        add(model, id, encode(LABEL, new Observation(0, 0, 0, timestamp, Map.of()), label), timestamp);
        return Optional.empty();
    }

    private void add(String model, String id, byte[] entry, long now) {
        long next = number(store.get("n\0" + model), 1);
        byte[] waiting = ByteBuffer.allocate(entry.length + 8).put(entry).putLong(next).array();
        byte[] replaced = store.get(entryKey(model, id));
        store.put(entryKey(model, id), waiting);
        addBytes(model, size(model, id, waiting) - (replaced == null ? 0 : size(model, id, replaced)));
        store.put(orderKey(model, next), id.getBytes(StandardCharsets.UTF_8));
        store.put("n\0" + model, longBytes(next + 1));
        sweep(model, next + 1, now);
    }

    /** Drops, oldest first, entries beyond {@code maxPending} or older than the TTL, and index entries of joined ones. */
    private void sweep(String model, long next, long now) {
        long head = number(store.get("h\0" + model), 1);
        long start = head;
        long bytes = number(store.get("b\0" + model), 0);
        long bytesBefore = bytes;
        while (head < next) {
            byte[] idBytes = store.get(orderKey(model, head));
            String id = idBytes == null ? null : new String(idBytes, StandardCharsets.UTF_8);
            byte[] waiting = id == null ? null : store.get(entryKey(model, id));
            boolean indexed = waiting != null
                    && ByteBuffer.wrap(waiting, waiting.length - 8, 8).getLong() == head;
            if (indexed) {
                Entry entry = decode(waiting);
                Drop drop = entry.at().timestamp() < now - ttlMillis ? Drop.EXPIRED
                        : next - head > maxPending || bytes > maxBytes ? Drop.OVERFLOW : null;
                if (drop == null) {
                    break;
                }
                store.delete(entryKey(model, id));
                bytes = Math.max(0, bytes - size(model, id, waiting));
                listener.dropped(model, drop, waiting[0] == PREDICTION);
            }
            store.delete(orderKey(model, head));
            head++;
        }
        if (head != start) {
            store.put("h\0" + model, longBytes(head));
        }
        if (bytes != bytesBefore) {
            store.put("b\0" + model, longBytes(bytes));
        }
    }

    /** What a waiting entry takes in the store, its index entry included (keys as UTF-16 is close enough). */
    private static long size(String model, String id, byte[] waiting) {
        return waiting.length + 2L * (model.length() + id.length()) + 40;
    }

    private void addBytes(String model, long delta) {
        long bytes = Math.max(0, number(store.get("b\0" + model), 0) + delta);
        store.put("b\0" + model, longBytes(bytes));
    }

    /** The bytes {@code model}'s waiting entries take. */
    long pendingBytes(String model) {
        return number(store.get("b\0" + model), 0);
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

    private static String orderKey(String model, long n) {
        return "o\0" + model + '\0' + n;
    }

    private static long number(byte[] bytes, long absent) {
        return bytes == null ? absent : ByteBuffer.wrap(bytes).getLong();
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }
}

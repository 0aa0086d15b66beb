package io.streamlearn.drift.window;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A compact binary form of one {@link Observation}, for the journal of records a monitor took since its last
 * snapshot: written once per record, so it must be small and quick (Java serialization of the same map is about four
 * times the size). Layout: position, partition, offset, time, value count, then per value its name and a tag (0
 * missing, 1 number, 2 category) with the value.
 */
public final class ObservationCodec {

    private static final byte MISSING = 0;
    private static final byte NUMBER = 1;
    private static final byte CATEGORY = 2;

    private ObservationCodec() {
    }

    public static byte[] encode(Observation observation) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 16 * observation.values().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(observation.position());
            out.writeInt(observation.partition());
            out.writeLong(observation.offset());
            out.writeLong(observation.timestamp());
            out.writeInt(observation.values().size());
            for (Map.Entry<String, Object> entry : observation.values().entrySet()) {
                out.writeUTF(entry.getKey());
                Object value = entry.getValue();
                if (value == null) {
                    out.writeByte(MISSING);
                } else if (value instanceof Double number) {
                    out.writeByte(NUMBER);
                    out.writeDouble(number);
                } else if (value instanceof String category) {
                    out.writeByte(CATEGORY);
                    out.writeUTF(category);
                } else {
                    throw new IllegalArgumentException("value of '" + entry.getKey() + "' is a "
                            + value.getClass().getSimpleName() + ", not a Double, a String or null");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not an encoded observation */
    public static Observation decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long position = in.readLong();
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            int size = in.readInt();
            Map<String, Object> values = new HashMap<>();
            for (int i = 0; i < size; i++) {
                String name = in.readUTF();
                byte tag = in.readByte();
                values.put(name, switch (tag) {
                    case MISSING -> null;
                    case NUMBER -> in.readDouble();
                    case CATEGORY -> in.readUTF();
                    default -> throw new IOException("unknown value tag " + tag);
                });
            }
            return new Observation(position, partition, offset, timestamp, values);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an encoded observation: " + e.getMessage(), e);
        }
    }
}

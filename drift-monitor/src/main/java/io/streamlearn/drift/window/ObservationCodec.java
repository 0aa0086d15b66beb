package io.streamlearn.drift.window;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
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

    /**
     * The bytes {@code DataOutputStream} writes for this layout (big-endian numbers, names and categories in its
     * modified UTF-8 with a 2-byte length), written straight into one array: a journal entry per record, and
     * {@code DataOutputStream}'s one synchronized stream write per field and per name was most of its cost.
     */
    public static byte[] encode(Observation observation) {
        Output out = new Output(32 + 24 * observation.values().size());
        out.writeLong(observation.position());
        out.writeInt(observation.partition());
        out.writeLong(observation.offset());
        out.writeLong(observation.timestamp());
        out.writeInt(observation.values().size());
        for (Map.Entry<String, Object> entry : observation.values().entrySet()) {
            out.writeText(entry.getKey());
            Object value = entry.getValue();
            if (value == null) {
                out.writeByte(MISSING);
            } else if (value instanceof Double number) {
                out.writeByte(NUMBER);
                out.writeLong(Double.doubleToLongBits(number));
            } else if (value instanceof String category) {
                out.writeByte(CATEGORY);
                out.writeText(category);
            } else {
                throw new IllegalArgumentException("value of '" + entry.getKey() + "' is a "
                        + value.getClass().getSimpleName() + ", not a Double, a String or null");
            }
        }
        return out.toByteArray();
    }

    /** A growing byte array with {@code DataOutput}'s encodings of the types the layout uses. */
    private static final class Output {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
            }
        }

        void writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void writeInt(int value) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void writeLong(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        /** {@code DataOutput.writeUTF}: ASCII text (no NUL) as its bytes, anything else through the JDK's encoder. */
        void writeText(String text) {
            int length = text.length();
            boolean ascii = length <= 0xFFFF;
            for (int i = 0; ascii && i < length; i++) {
                char c = text.charAt(i);
                ascii = c >= 1 && c <= 0x7F;
            }
            if (!ascii) {
                ByteArrayOutputStream encoded = new ByteArrayOutputStream(length + 8);
                try (DataOutputStream out = new DataOutputStream(encoded)) {
                    out.writeUTF(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                ensure(encoded.size());
                System.arraycopy(encoded.toByteArray(), 0, bytes, size, encoded.size());
                size += encoded.size();
                return;
            }
            ensure(2 + length);
            bytes[size++] = (byte) (length >>> 8);
            bytes[size++] = (byte) length;
            for (int i = 0; i < length; i++) {
                bytes[size++] = (byte) text.charAt(i);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
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

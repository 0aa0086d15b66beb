package io.streamlearn.core.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary form of a {@link TrainingReference}: the magic {@code SLR1}, a format version, the model, the version, the
 * feature names once, then per row its partition, offset, time and one tagged value per feature (absent, null, a
 * double, a string). Columns of names are written once because a reference holds thousands of rows: 5,000 rows of 10
 * numeric features take about 550 KB. Decoding checks every count against the bytes left, so a truncated or hostile
 * record fails with a clear message.
 */
public final class TrainingReferenceCodec {

    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "SLR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte ABSENT = 0;
    private static final byte NULL = 1;
    private static final byte NUMBER = 2;
    private static final byte TEXT = 3;

    private TrainingReferenceCodec() {
    }

    public static byte[] encode(TrainingReference reference) {
        Set<String> names = new LinkedHashSet<>();
        reference.rows().forEach(row -> names.addAll(row.values().keySet()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            writeString(out, reference.model());
            out.writeLong(reference.version());
            out.writeInt(names.size());
            for (String name : names) {
                writeString(out, name);
            }
            out.writeInt(reference.rows().size());
            for (TrainingReference.Row row : reference.rows()) {
                out.writeInt(row.partition());
                out.writeLong(row.offset());
                out.writeLong(row.timestamp());
                for (String name : names) {
                    writeValue(out, row.values(), name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Only the batch version, from the header: what a reader checks before it decodes thousands of rows.
     *
     * @throws IllegalArgumentException when the bytes are not a training reference this build reads
     */
    public static long version(byte[] bytes) {
        try (DataInputStream in = header(bytes)) {
            readString(in);
            return in.readLong();
        } catch (EOFException e) {
            throw new IllegalArgumentException("training reference is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a training reference this build reads */
    public static TrainingReference decode(byte[] bytes) {
        try (DataInputStream in = header(bytes)) {
            String model = readString(in);
            long version = in.readLong();
            String[] names = new String[count(in, 4)];
            for (int i = 0; i < names.length; i++) {
                names[i] = readString(in);
            }
            int rows = count(in, 20 + names.length);
            List<TrainingReference.Row> read = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                int partition = in.readInt();
                long offset = in.readLong();
                long timestamp = in.readLong();
                Map<String, Object> values = new HashMap<>();
                for (String name : names) {
                    readValue(in, values, name);
                }
                read.add(new TrainingReference.Row(partition, offset, timestamp, values));
            }
            return new TrainingReference(model, version, read);
        } catch (EOFException e) {
            throw new IllegalArgumentException("training reference is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
    }

    /** The stream after the magic and a supported format version. */
    private static DataInputStream header(byte[] bytes) throws IOException {
        if (bytes == null || bytes.length < MAGIC.length + 4
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a streamlearn training reference (bad magic)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
                bytes.length - MAGIC.length));
        int format = in.readInt();
        if (format < 1 || format > FORMAT_VERSION) {
            throw new IllegalArgumentException("training reference format " + format + " is not supported (this build "
                    + "reads up to " + FORMAT_VERSION + ")");
        }
        return in;
    }

    private static void writeValue(DataOutputStream out, Map<String, Object> values, String name) throws IOException {
        if (!values.containsKey(name)) {
            out.writeByte(ABSENT);
        } else if (values.get(name) == null) {
            out.writeByte(NULL);
        } else if (values.get(name) instanceof Double number) {
            out.writeByte(NUMBER);
            out.writeDouble(number);
        } else if (values.get(name) instanceof String text) {
            out.writeByte(TEXT);
            writeString(out, text);
        } else {
            throw new IllegalArgumentException("feature '" + name + "' holds a " + values.get(name).getClass()
                    .getSimpleName() + ", not a Double, a String or null");
        }
    }

    private static void readValue(DataInputStream in, Map<String, Object> values, String name) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case ABSENT -> { }
            case NULL -> values.put(name, null);
            case NUMBER -> values.put(name, in.readDouble());
            case TEXT -> values.put(name, readString(in));
            default -> throw new IllegalArgumentException("training reference holds an unknown value tag " + tag);
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[count(in, 1)];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** A count read from the stream, refused when the bytes left could not hold that many items of the least size. */
    private static int count(DataInputStream in, int leastBytesEach) throws IOException {
        int count = in.readInt();
        if (count < 0 || (long) count * leastBytesEach > in.available()) {
            throw new IllegalArgumentException("training reference is truncated (a count of " + count + ")");
        }
        return count;
    }
}

package io.streamlearn.trainer.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a sharded model's task sends each of its shards, in the order the model's records were read: an event to
 * vote on and learn from (with its inline label, if any), a later label to learn, or the order to publish a version.
 * Every shard receives every step, so all shards of version {@code v} have learned exactly the same records.
 *
 * @param eventPartition the event's partition of the {@code events} topic, with {@code eventOffset} its identity
 *                       (an id may be reused; a record position is not)
 * @param version        for {@link Kind#PUBLISH}, the version the model publishes
 */
public record ShardStep(Kind kind, long generation, String id, int eventPartition, long eventOffset, long timestamp,
        double[] features, double label, long version) {

    public enum Kind {
        EVENT, LABEL, PUBLISH
    }

    public static ShardStep event(long generation, String id, int partition, long offset, long timestamp,
            double[] features, double label) {
        return new ShardStep(Kind.EVENT, generation, id, partition, offset, timestamp, features, label, 0);
    }

    public static ShardStep label(long generation, String id, double[] features, double label) {
        return new ShardStep(Kind.LABEL, generation, id, -1, -1, 0, features, label, 0);
    }

    public static ShardStep publish(long generation, long version) {
        return new ShardStep(Kind.PUBLISH, generation, "", -1, -1, 0, new double[0], Double.NaN, version);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 8 * features.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind.ordinal());
            out.writeLong(generation);
            out.writeUTF(id);
            out.writeInt(eventPartition);
            out.writeLong(eventOffset);
            out.writeLong(timestamp);
            writeDoubles(out, features);
            out.writeDouble(label);
            out.writeLong(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ShardStep decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Kind kind = Kind.values()[in.readByte()];
            return new ShardStep(kind, in.readLong(), in.readUTF(), in.readInt(), in.readLong(), in.readLong(),
                    readDoubles(in), in.readDouble(), in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException("a shard step is unreadable", e);
        }
    }

    static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double value : values) {
            out.writeDouble(value);
        }
    }

    static double[] readDoubles(DataInputStream in) throws IOException {
        double[] values = new double[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }
}

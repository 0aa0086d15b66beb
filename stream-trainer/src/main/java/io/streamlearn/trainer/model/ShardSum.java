package io.streamlearn.trainer.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * All shards' votes for one event, added in shard order by the vote stage and sent to the model's task: what the
 * model's prediction of the event is made from.
 *
 * @param eventPartition the event's partition of the {@code events} topic, with {@code eventOffset} its identity
 */
public record ShardSum(long generation, String id, int eventPartition, long eventOffset, double[] votes) {

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(48 + 8 * votes.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(generation);
            out.writeUTF(id);
            out.writeInt(eventPartition);
            out.writeLong(eventOffset);
            ShardStep.writeDoubles(out, votes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ShardSum decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return new ShardSum(in.readLong(), in.readUTF(), in.readInt(), in.readLong(), ShardStep.readDoubles(in));
        } catch (IOException e) {
            throw new UncheckedIOException("a shard sum is unreadable", e);
        }
    }
}

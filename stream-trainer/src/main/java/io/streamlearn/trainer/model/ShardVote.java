package io.streamlearn.trainer.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One shard's raw votes for one event of its model, sent back to the model's task. */
public record ShardVote(long generation, String id, int eventPartition, long eventOffset, int shard, double[] votes) {

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(48 + 8 * votes.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(generation);
            out.writeUTF(id);
            out.writeInt(eventPartition);
            out.writeLong(eventOffset);
            out.writeInt(shard);
            ShardStep.writeDoubles(out, votes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ShardVote decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return new ShardVote(in.readLong(), in.readUTF(), in.readInt(), in.readLong(), in.readInt(),
                    ShardStep.readDoubles(in));
        } catch (IOException e) {
            throw new UncheckedIOException("a shard vote is unreadable", e);
        }
    }
}

package io.streamlearn.trainer.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One shard's raw votes for one event of its model, sent to the vote stage.
 *
 * @param shards how many shards vote on the event (the generation's), so that the vote stage knows when all are in
 *               without a definition of its own, which on its instance may not have reached this generation yet
 */
public record ShardVote(long generation, String id, int eventPartition, long eventOffset, int shard, int shards,
        double[] votes) {

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(52 + 8 * votes.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(generation);
            out.writeUTF(id);
            out.writeInt(eventPartition);
            out.writeLong(eventOffset);
            out.writeInt(shard);
            out.writeInt(shards);
            ShardStep.writeDoubles(out, votes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ShardVote decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return new ShardVote(in.readLong(), in.readUTF(), in.readInt(), in.readLong(), in.readInt(), in.readInt(),
                    ShardStep.readDoubles(in));
        } catch (IOException e) {
            throw new UncheckedIOException("a shard vote is unreadable", e);
        }
    }
}

package io.streamlearn.trainer.model;

import io.streamlearn.core.learn.ShardVotes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An event of a sharded model waiting for its shards' votes: where it came from, its inline label, a label that
 * arrived while it waited, and the votes received so far, kept by shard so that they are added in shard order
 * (floating-point sums depend on order; a recovered run must predict exactly as an uninterrupted one).
 *
 * @param delayedLabel a label that arrived before the votes were all in ({@code NaN}: none), learned by the shards
 *                     already and evaluated once the prediction is known
 */
public record AwaitedVotes(int eventPartition, long eventOffset, long timestamp, double inlineLabel,
        double delayedLabel, int labelPartition, long labelOffset, double[][] votesByShard) {

    public static AwaitedVotes of(int eventPartition, long eventOffset, long timestamp, double inlineLabel,
            int shards) {
        return new AwaitedVotes(eventPartition, eventOffset, timestamp, inlineLabel, Double.NaN, -1, -1,
                new double[shards][]);
    }

    public boolean isFor(ShardVote vote) {
        return vote.eventPartition() == eventPartition && vote.eventOffset() == eventOffset;
    }

    public AwaitedVotes with(ShardVote vote) {
        double[][] votes = votesByShard.clone();
        votes[vote.shard()] = vote.votes();
        return new AwaitedVotes(eventPartition, eventOffset, timestamp, inlineLabel, delayedLabel, labelPartition,
                labelOffset, votes);
    }

    public AwaitedVotes withDelayedLabel(double label, int partition, long offset) {
        return new AwaitedVotes(eventPartition, eventOffset, timestamp, inlineLabel, label, partition, offset,
                votesByShard);
    }

    public boolean complete() {
        for (double[] votes : votesByShard) {
            if (votes == null) {
                return false;
            }
        }
        return true;
    }

    /** The shards' votes added up, shard 0 first. */
    public double[] summedVotes() {
        double[] sum = new double[0];
        for (double[] votes : votesByShard) {
            sum = ShardVotes.add(sum, votes);
        }
        return sum;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * votesByShard.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(eventPartition);
            out.writeLong(eventOffset);
            out.writeLong(timestamp);
            out.writeDouble(inlineLabel);
            out.writeDouble(delayedLabel);
            out.writeInt(labelPartition);
            out.writeLong(labelOffset);
            out.writeInt(votesByShard.length);
            for (double[] votes : votesByShard) {
                out.writeBoolean(votes != null);
                if (votes != null) {
                    ShardStep.writeDoubles(out, votes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static AwaitedVotes decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            double inline = in.readDouble();
            double delayed = in.readDouble();
            int labelPartition = in.readInt();
            long labelOffset = in.readLong();
            double[][] votes = new double[in.readInt()][];
            for (int shard = 0; shard < votes.length; shard++) {
                votes[shard] = in.readBoolean() ? ShardStep.readDoubles(in) : null;
            }
            return new AwaitedVotes(partition, offset, timestamp, inline, delayed, labelPartition, labelOffset, votes);
        } catch (IOException e) {
            throw new UncheckedIOException("votes awaited are unreadable", e);
        }
    }
}

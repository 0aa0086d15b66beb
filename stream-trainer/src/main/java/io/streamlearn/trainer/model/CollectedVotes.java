package io.streamlearn.trainer.model;

import io.streamlearn.core.learn.ShardVotes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The vote stage's wait for one event's votes: which event (a position, as an id may be reused) and the votes received
 * so far, kept by shard so that they are added in shard order (floating-point sums depend on order; a recovered run
 * must predict exactly as an uninterrupted one).
 */
public record CollectedVotes(int eventPartition, long eventOffset, double[][] votesByShard) {

    /** The wait that {@code vote} opens: its event's, for as many shards as voted on it. */
    public static CollectedVotes first(ShardVote vote) {
        return new CollectedVotes(vote.eventPartition(), vote.eventOffset(), new double[vote.shards()][]).with(vote);
    }

    public boolean isFor(ShardVote vote) {
        return vote.eventPartition() == eventPartition && vote.eventOffset() == eventOffset
                && vote.shards() == votesByShard.length;
    }

    public CollectedVotes with(ShardVote vote) {
        double[][] votes = votesByShard.clone();
        votes[vote.shard()] = vote.votes();
        return new CollectedVotes(eventPartition, eventOffset, votes);
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 24 * votesByShard.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(eventPartition);
            out.writeLong(eventOffset);
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

    public static CollectedVotes decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int partition = in.readInt();
            long offset = in.readLong();
            double[][] votes = new double[in.readInt()][];
            for (int shard = 0; shard < votes.length; shard++) {
                votes[shard] = in.readBoolean() ? ShardStep.readDoubles(in) : null;
            }
            return new CollectedVotes(partition, offset, votes);
        } catch (IOException e) {
            throw new UncheckedIOException("votes collected are unreadable", e);
        }
    }
}

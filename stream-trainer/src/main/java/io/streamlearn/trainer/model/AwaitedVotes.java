package io.streamlearn.trainer.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An event of a sharded model waiting in its model's task for its shards' votes, added up by the vote stage: where it
 * came from, its inline label, a label that arrived while it waited, and the sum once it is in. A sum that comes
 * before an earlier event's waits here too: the model predicts in the order of its events (its evaluation is one
 * sequence, and a recovered run must score exactly as an uninterrupted one).
 *
 * @param recordTimestamp the event record's timestamp, the prediction record's
 * @param delayedLabel    a label that arrived before the votes were in ({@code NaN}: none), learned by the shards
 *                        already and evaluated once the prediction is known
 * @param votes           the shards' votes added up, {@code null} until the vote stage sends them
 */
public record AwaitedVotes(int eventPartition, long eventOffset, long timestamp, long recordTimestamp,
        double inlineLabel, double delayedLabel, int labelPartition, long labelOffset, double[] votes) {

    public static AwaitedVotes of(int eventPartition, long eventOffset, long timestamp, long recordTimestamp,
            double inlineLabel) {
        return new AwaitedVotes(eventPartition, eventOffset, timestamp, recordTimestamp, inlineLabel, Double.NaN, -1,
                -1, null);
    }

    public boolean isFor(ShardSum sum) {
        return sum.eventPartition() == eventPartition && sum.eventOffset() == eventOffset;
    }

    public AwaitedVotes with(ShardSum sum) {
        return new AwaitedVotes(eventPartition, eventOffset, timestamp, recordTimestamp, inlineLabel, delayedLabel,
                labelPartition, labelOffset, sum.votes());
    }

    public AwaitedVotes withDelayedLabel(double label, int partition, long offset) {
        return new AwaitedVotes(eventPartition, eventOffset, timestamp, recordTimestamp, inlineLabel, label, partition,
                offset, votes);
    }

    public boolean voted() {
        return votes != null;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(72 + (votes == null ? 0 : 8 * votes.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(eventPartition);
            out.writeLong(eventOffset);
            out.writeLong(timestamp);
            out.writeLong(recordTimestamp);
            out.writeDouble(inlineLabel);
            out.writeDouble(delayedLabel);
            out.writeInt(labelPartition);
            out.writeLong(labelOffset);
            out.writeBoolean(votes != null);
            if (votes != null) {
                ShardStep.writeDoubles(out, votes);
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
            long recordTimestamp = in.readLong();
            double inline = in.readDouble();
            double delayed = in.readDouble();
            int labelPartition = in.readInt();
            long labelOffset = in.readLong();
            double[] votes = in.readBoolean() ? ShardStep.readDoubles(in) : null;
            return new AwaitedVotes(partition, offset, timestamp, recordTimestamp, inline, delayed, labelPartition,
                    labelOffset, votes);
        } catch (IOException e) {
            throw new UncheckedIOException("votes awaited are unreadable", e);
        }
    }
}

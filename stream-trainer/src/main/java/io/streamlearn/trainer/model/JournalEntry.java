package io.streamlearn.trainer.model;

import io.streamlearn.core.learn.Prediction;
import java.nio.ByteBuffer;

/**
 * One step that changed a model, written to the trainer's journal store in the same transaction as its outputs, so
 * that a model restored from its last checkpoint can be brought forward to exactly the committed input offsets.
 *
 * <p>An {@link Kind#EVENT} entry is an event predicted (and learned from when {@code label} is not NaN); a
 * {@link Kind#DELAYED_LABEL} entry is a late label joined with its event's features and the prediction that was served
 * for it. A {@link Kind#PUBLISHED} entry marks a snapshot published on {@code models}: replaying it takes the same
 * version number again, so publishing needs no checkpoint of its own.
 */
public record JournalEntry(
        long sequence,
        Kind kind,
        int sourcePartition,
        long sourceOffset,
        double[] features,
        double label,
        Prediction earlierPrediction) {

    public enum Kind { EVENT, DELAYED_LABEL, PUBLISHED }

    /** The marker of a snapshot published after the entry before it. */
    public static JournalEntry published(long sequence) {
        return publishedAs(sequence, -1);
    }

    /**
     * The marker of a shard's state published as version {@code version} of its model (in {@code sourceOffset}; -1 in
     * the markers of a model's own snapshots and of earlier builds): the shard takes its model's number, since a server
     * puts version {@code v} together from the model's and every shard's {@code v}. A shard younger than its model is
     * behind it: a model started afresh as sharded, or with more shards, goes on with its own version numbers while a
     * new shard starts at 0.
     */
    public static JournalEntry publishedAs(long sequence, long version) {
        return new JournalEntry(sequence, Kind.PUBLISHED, -1, version, new double[0], Double.NaN, null);
    }

    /**
     * The entry's bytes. A feature vector with mostly zeros (one-hot encoded nominals: a few ones among hundreds of
     * places) is written sparse, as its length, its non-zero count and (index, value) pairs, flagged by
     * {@link #SPARSE} in the kind byte; only +0.0 is left out, so every value decodes bit for bit.
     */
    public byte[] encode() {
        double[] scores = earlierPrediction == null ? new double[0] : earlierPrediction.scores();
        int nonZero = 0;
        for (double feature : features) {
            if (Double.doubleToRawLongBits(feature) != 0L) {
                nonZero++;
            }
        }
        boolean sparse = 4 + 12L * nonZero < 8L * features.length;
        int featureBytes = sparse ? 4 + 12 * nonZero : 8 * features.length;
        ByteBuffer buffer = ByteBuffer.allocate(8 + 1 + 4 + 8 + 4 + featureBytes + 8 + 8 + 4 + 8 * scores.length);
        buffer.putLong(sequence).put((byte) (kind.ordinal() | (sparse ? SPARSE : 0))).putInt(sourcePartition)
                .putLong(sourceOffset);
        buffer.putInt(features.length);
        if (sparse) {
            buffer.putInt(nonZero);
            for (int i = 0; i < features.length; i++) {
                if (Double.doubleToRawLongBits(features[i]) != 0L) {
                    buffer.putInt(i).putDouble(features[i]);
                }
            }
        } else {
            for (double feature : features) {
                buffer.putDouble(feature);
            }
        }
        buffer.putDouble(label);
        buffer.putDouble(earlierPrediction == null ? Double.NaN : earlierPrediction.value());
        buffer.putInt(scores.length);
        for (double score : scores) {
            buffer.putDouble(score);
        }
        return buffer.array();
    }

    /** Set in the kind byte of an entry whose features are written sparse (entries of earlier builds are dense). */
    static final int SPARSE = 0x80;

    public static JournalEntry decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long sequence = buffer.getLong();
        int kindByte = buffer.get() & 0xff;
        Kind kind = Kind.values()[kindByte & ~SPARSE];
        int partition = buffer.getInt();
        long offset = buffer.getLong();
        double[] features = new double[buffer.getInt()];
        if ((kindByte & SPARSE) != 0) {
            int nonZero = buffer.getInt();
            for (int i = 0; i < nonZero; i++) {
                int index = buffer.getInt();
                features[index] = buffer.getDouble();
            }
        } else {
            for (int i = 0; i < features.length; i++) {
                features[i] = buffer.getDouble();
            }
        }
        double label = buffer.getDouble();
        double predictedValue = buffer.getDouble();
        double[] scores = new double[buffer.getInt()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = buffer.getDouble();
        }
        Prediction earlier = kind == Kind.DELAYED_LABEL ? new Prediction(predictedValue, scores) : null;
        return new JournalEntry(sequence, kind, partition, offset, features, label, earlier);
    }
}

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
        return new JournalEntry(sequence, Kind.PUBLISHED, -1, -1, new double[0], Double.NaN, null);
    }

    public byte[] encode() {
        double[] scores = earlierPrediction == null ? new double[0] : earlierPrediction.scores();
        ByteBuffer buffer = ByteBuffer.allocate(8 + 1 + 4 + 8 + 4 + 8 * features.length + 8 + 8 + 4 + 8 * scores.length);
        buffer.putLong(sequence).put((byte) kind.ordinal()).putInt(sourcePartition).putLong(sourceOffset);
        buffer.putInt(features.length);
        for (double feature : features) {
            buffer.putDouble(feature);
        }
        buffer.putDouble(label);
        buffer.putDouble(earlierPrediction == null ? Double.NaN : earlierPrediction.value());
        buffer.putInt(scores.length);
        for (double score : scores) {
            buffer.putDouble(score);
        }
        return buffer.array();
    }

    public static JournalEntry decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long sequence = buffer.getLong();
        Kind kind = Kind.values()[buffer.get()];
        int partition = buffer.getInt();
        long offset = buffer.getLong();
        double[] features = new double[buffer.getInt()];
        for (int i = 0; i < features.length; i++) {
            features[i] = buffer.getDouble();
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

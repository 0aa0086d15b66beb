package io.streamlearn.trainer.model;

import io.streamlearn.core.learn.Prediction;
import java.nio.ByteBuffer;

/** An event predicted without a label, kept until its label arrives or its time to live runs out. */
public record PendingEvent(long timestamp, double[] features, Prediction prediction) {

    public byte[] encode() {
        double[] scores = prediction.scores();
        ByteBuffer buffer = ByteBuffer.allocate(8 + 4 + 8 * features.length + 8 + 4 + 8 * scores.length);
        buffer.putLong(timestamp).putInt(features.length);
        for (double feature : features) {
            buffer.putDouble(feature);
        }
        buffer.putDouble(prediction.value()).putInt(scores.length);
        for (double score : scores) {
            buffer.putDouble(score);
        }
        return buffer.array();
    }

    public static PendingEvent decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long timestamp = buffer.getLong();
        double[] features = new double[buffer.getInt()];
        for (int i = 0; i < features.length; i++) {
            features[i] = buffer.getDouble();
        }
        double value = buffer.getDouble();
        double[] scores = new double[buffer.getInt()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = buffer.getDouble();
        }
        return new PendingEvent(timestamp, features, new Prediction(value, scores));
    }
}

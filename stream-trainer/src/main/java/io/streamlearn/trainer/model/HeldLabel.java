package io.streamlearn.trainer.model;

import java.nio.ByteBuffer;

/**
 * A label that arrived before its event, held until the event comes or the hold runs out. It keeps where it came
 * from (for the journal and for a dead letter) and its original bytes (a dead letter carries the record as it was).
 *
 * @param timestamp       the label record's timestamp, against which the hold's time to live is measured
 * @param label           the label, already encoded for the model
 * @param original        the label record's value
 */
public record HeldLabel(long timestamp, int sourcePartition, long sourceOffset, double label, byte[] original) {

    public byte[] encode() {
        return ByteBuffer.allocate(8 + 4 + 8 + 8 + original.length).putLong(timestamp).putInt(sourcePartition)
                .putLong(sourceOffset).putDouble(label).put(original).array();
    }

    public static HeldLabel decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long timestamp = buffer.getLong();
        int partition = buffer.getInt();
        long offset = buffer.getLong();
        double label = buffer.getDouble();
        byte[] original = new byte[buffer.remaining()];
        buffer.get(original);
        return new HeldLabel(timestamp, partition, offset, label, original);
    }
}

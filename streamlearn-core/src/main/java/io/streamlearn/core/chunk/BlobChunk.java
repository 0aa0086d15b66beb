package io.streamlearn.core.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * One slice of a chunked blob's stored bytes. Layout: magic {@code SLC1}, blob id (16 bytes), index, count, payload.
 * The id ties the chunk to exactly one {@link BlobManifest}, so chunks of two versions are never mixed.
 */
public record BlobChunk(UUID blobId, int index, int count, byte[] payload) {

    static final byte[] MAGIC = "SLC1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = MAGIC.length + 16 + 4 + 4;

    public static boolean isChunk(byte[] value) {
        return value != null && value.length >= MAGIC.length && Arrays.equals(value, 0, MAGIC.length, MAGIC, 0,
                MAGIC.length);
    }

    static byte[] encode(UUID blobId, int index, int count, byte[] stored, int from, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + length);
        buffer.put(MAGIC).putLong(blobId.getMostSignificantBits()).putLong(blobId.getLeastSignificantBits())
                .putInt(index).putInt(count).put(stored, from, length);
        return buffer.array();
    }

    /** @throws BlobFormatException when the value is not a well-formed chunk */
    public static BlobChunk decode(byte[] value) {
        if (!isChunk(value) || value.length < HEADER_BYTES) {
            throw new BlobFormatException("not a blob chunk (bad magic or truncated)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value, MAGIC.length, value.length - MAGIC.length);
        UUID id = new UUID(buffer.getLong(), buffer.getLong());
        int index = buffer.getInt();
        int count = buffer.getInt();
        if (count < 1 || index < 0 || index >= count) {
            throw new BlobFormatException("blob chunk index " + index + " of " + count + " is out of range");
        }
        return new BlobChunk(id, index, count, Arrays.copyOfRange(value, HEADER_BYTES, value.length));
    }

    /**
     * The chunk's blob id, index and count without copying its payload (left empty): what an index of a topic needs
     * from each record. The buffer's position does not move.
     *
     * @throws BlobFormatException when the value is not a well-formed chunk
     */
    public static BlobChunk decodeHeader(ByteBuffer value) {
        byte[] header = new byte[Math.min(value.remaining(), HEADER_BYTES)];
        value.duplicate().get(header);
        return decode(header);
    }
}

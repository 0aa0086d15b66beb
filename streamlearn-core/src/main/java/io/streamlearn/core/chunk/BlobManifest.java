package io.streamlearn.core.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The record that completes a chunked blob: which blob it is, how many chunks carry it, its sizes and its SHA-256
 * digest, plus a small caller-chosen header (a model snapshot's metadata JSON) that readers can use without fetching
 * the chunks. It is written after every chunk of its blob, in the same transaction, under the blob's own key; a reader
 * uses a blob only when all chunks named here are present, belong to this blob and hash to this digest.
 *
 * <p>Layout: magic {@code SLB1}, format version, blob id (16 bytes), codec, uncompressed size, stored size, chunk
 * count, 32-byte digest, header length and header.
 */
public record BlobManifest(UUID blobId, Codec codec, long blobBytes, long storedBytes, int chunkCount, byte[] digest,
        byte[] header) {

    static final byte[] MAGIC = "SLB1".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int DIGEST_BYTES = 32;
    /** A manifest is small by design; a header larger than this is refused on write and on read. */
    public static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final int FIXED_BYTES = MAGIC.length + 4 + 16 + 1 + 8 + 8 + 4 + DIGEST_BYTES + 4;

    /** How the stored bytes were compressed. */
    public enum Codec {
        NONE, DEFLATE;

        static Codec of(int id) {
            if (id < 0 || id >= values().length) {
                throw new BlobFormatException("unknown blob codec " + id);
            }
            return values()[id];
        }
    }

    public BlobManifest {
        if (digest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("digest must be " + DIGEST_BYTES + " bytes");
        }
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("blob header of " + header.length + " bytes exceeds " + MAX_HEADER_BYTES);
        }
    }

    /** Whether a record value is a manifest (rather than a chunk or a value written whole). */
    public static boolean isManifest(byte[] value) {
        return value != null && value.length >= MAGIC.length && Arrays.equals(value, 0, MAGIC.length, MAGIC, 0,
                MAGIC.length);
    }

    public byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(FIXED_BYTES + header.length);
        buffer.put(MAGIC).putInt(FORMAT_VERSION)
                .putLong(blobId.getMostSignificantBits()).putLong(blobId.getLeastSignificantBits())
                .put((byte) codec.ordinal()).putLong(blobBytes).putLong(storedBytes).putInt(chunkCount)
                .put(digest).putInt(header.length).put(header);
        return buffer.array();
    }

    /** @throws BlobFormatException when the value is not a well-formed manifest */
    public static BlobManifest decode(byte[] value) {
        if (!isManifest(value)) {
            throw new BlobFormatException("not a blob manifest (bad magic)");
        }
        if (value.length < FIXED_BYTES) {
            throw new BlobFormatException("blob manifest is truncated (" + value.length + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value, MAGIC.length, value.length - MAGIC.length);
        int format = buffer.getInt();
        if (format != FORMAT_VERSION) {
            throw new BlobFormatException("blob manifest format " + format + " is not supported (this build reads "
                    + FORMAT_VERSION + ")");
        }
        UUID id = new UUID(buffer.getLong(), buffer.getLong());
        Codec codec = Codec.of(buffer.get());
        long blobBytes = buffer.getLong();
        long storedBytes = buffer.getLong();
        int chunkCount = buffer.getInt();
        byte[] digest = new byte[DIGEST_BYTES];
        buffer.get(digest);
        int headerLength = buffer.getInt();
        if (blobBytes < 0 || storedBytes < 0 || chunkCount < 1 || headerLength < 0
                || headerLength > MAX_HEADER_BYTES || headerLength != buffer.remaining()) {
            throw new BlobFormatException("blob manifest is inconsistent (sizes " + blobBytes + "/" + storedBytes
                    + ", " + chunkCount + " chunks, header " + headerLength + " of " + buffer.remaining() + " bytes)");
        }
        byte[] header = new byte[headerLength];
        buffer.get(header);
        return new BlobManifest(id, codec, blobBytes, storedBytes, chunkCount, digest, header);
    }

    @Override
    public String toString() {
        return "blob " + blobId + " (" + blobBytes + " bytes, " + storedBytes + " stored in " + chunkCount
                + " chunks, " + codec + ")";
    }
}

package io.streamlearn.core.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.BlobManifest;
import java.util.Arrays;
import java.util.List;

/**
 * Binary form of a {@link ModelSnapshot}: the magic {@code SLM1}, a format version, the length-prefixed metadata as
 * JSON (readable by any consumer without MOA) and the learner state. Decoding checks every length before it reads, so
 * a truncated or hostile record fails with a clear message instead of an exception deep inside.
 *
 * <p>On Kafka a snapshot travels chunked ({@link #toRecords}): its chunks, then a {@link BlobManifest} whose header is
 * the metadata JSON, so {@link #decodeMetadata} reads a manifest alone, without the chunks.
 */
public final class ModelSnapshotCodec {

    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "SLM1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelSnapshotCodec() {
    }

    public static byte[] encode(ModelSnapshot snapshot) {
        byte[] metadata;
        try {
            metadata = JSON.writeValueAsBytes(snapshot.metadata());
        } catch (IOException e) {
            throw new IllegalStateException("model metadata could not be written", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 8 + metadata.length + snapshot.learnerState().length);
        buffer.put(MAGIC).putInt(FORMAT_VERSION).putInt(metadata.length).put(metadata).put(snapshot.learnerState());
        return buffer.array();
    }

    /**
     * The records that carry an encoded snapshot (signed or not) on a topic: its chunks, then a manifest under
     * {@code key} whose header is the snapshot's metadata JSON.
     */
    public static List<BlobChunking.Part> toRecords(String key, byte[] record, BlobChunking chunking) {
        byte[] encoded = withoutSignature(record);
        ByteBuffer buffer = header(encoded);
        int length = buffer.getInt();
        byte[] metadata = length <= BlobManifest.MAX_HEADER_BYTES && length <= buffer.remaining()
                ? Arrays.copyOfRange(encoded, buffer.position(), buffer.position() + length) : new byte[0];
        return chunking.split(key, record, metadata);
    }

    /**
     * Reads only the metadata, without touching the learner state; from a chunked snapshot's manifest too. A signed
     * record ({@link SnapshotSigning}) is read without checking its signature: callers that serve or train from it
     * verify first.
     */
    public static ModelMetadata decodeMetadata(byte[] bytes) {
        if (BlobManifest.isManifest(bytes)) {
            return decodeMetadata(BlobManifest.decode(bytes));
        }
        bytes = withoutSignature(bytes);
        ByteBuffer buffer = header(bytes);
        int length = buffer.getInt();
        return readMetadata(bytes, buffer.position(), length);
    }

    /** The metadata a chunked snapshot's manifest carries as its header. */
    public static ModelMetadata decodeMetadata(BlobManifest manifest) {
        byte[] header = manifest.header();
        if (header.length == 0) {
            throw new IllegalArgumentException("chunked model snapshot carries no metadata in its manifest");
        }
        return readMetadata(header, 0, header.length);
    }

    /** As {@link #decodeMetadata}, a signed record is read without checking its signature. */
    public static ModelSnapshot decode(byte[] bytes) {
        bytes = withoutSignature(bytes);
        ByteBuffer buffer = header(bytes);
        int length = buffer.getInt();
        ModelMetadata metadata = readMetadata(bytes, buffer.position(), length);
        byte[] state = Arrays.copyOfRange(bytes, buffer.position() + length, bytes.length);
        return new ModelSnapshot(metadata, state);
    }

    private static byte[] withoutSignature(byte[] bytes) {
        return SnapshotSigning.isSigned(bytes) ? SnapshotSigning.unwrap(bytes) : bytes;
    }

    private static ByteBuffer header(byte[] bytes) {
        if (bytes == null || bytes.length < MAGIC.length
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a streamlearn model snapshot (bad magic)");
        }
        if (bytes.length < MAGIC.length + 8) {
            throw new IllegalArgumentException("model snapshot is truncated (" + bytes.length + " bytes, the header "
                    + "alone takes " + (MAGIC.length + 8) + ")");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        int format = buffer.getInt();
        if (format < 1 || format > FORMAT_VERSION) {
            throw new IllegalArgumentException("model snapshot format " + format + " is not supported (this build reads "
                    + "up to " + FORMAT_VERSION + ")");
        }
        return buffer;
    }

    private static ModelMetadata readMetadata(byte[] bytes, int offset, int length) {
        if (length < 0 || length > bytes.length - offset) {
            throw new IllegalArgumentException("model snapshot is truncated (metadata length " + length + ")");
        }
        try {
            return JSON.readValue(bytes, offset, length, ModelMetadata.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("model snapshot metadata is invalid: " + e.getMessage(), e);
        }
    }
}

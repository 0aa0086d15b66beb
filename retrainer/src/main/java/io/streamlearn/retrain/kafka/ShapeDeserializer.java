package io.streamlearn.retrain.kafka;

import io.streamlearn.core.chunk.BlobChunk;
import io.streamlearn.core.chunk.BlobFormatException;
import io.streamlearn.core.chunk.BlobManifest;
import io.streamlearn.retrain.kafka.ModelsIndex.Shape;
import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A record's {@link Shape} from its first bytes, without copying a chunk's payload or a value written whole: the
 * index needs no snapshot bytes. Never throws (a consumer would stop at the record): what does not decode is
 * {@link Shape#MALFORMED}.
 */
final class ShapeDeserializer implements Deserializer<Shape> {

    /** Both magics (BlobChunk's, BlobManifest's) are 4 bytes. */
    private static final int MAGIC_BYTES = 4;

    @Override
    public Shape deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data == null ? null : ByteBuffer.wrap(data));
    }

    @Override
    public Shape deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return Shape.TOMBSTONE;
        }
        byte[] magic = new byte[Math.min(MAGIC_BYTES, data.remaining())];
        data.duplicate().get(magic);
        try {
            if (BlobChunk.isChunk(magic)) {
                BlobChunk chunk = BlobChunk.decodeHeader(data);
                return Shape.chunk(chunk.blobId(), chunk.index(), chunk.count());
            }
            if (BlobManifest.isManifest(magic)) {
                byte[] bytes = new byte[data.remaining()];
                data.duplicate().get(bytes);
                BlobManifest manifest = BlobManifest.decode(bytes);
                return Shape.manifest(manifest.blobId(), manifest.chunkCount());
            }
        } catch (BlobFormatException e) {
            return Shape.MALFORMED;
        }
        return Shape.WHOLE;
    }
}

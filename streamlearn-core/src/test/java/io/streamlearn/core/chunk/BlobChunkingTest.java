package io.streamlearn.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobChunkingTest {

    private final BlobChunking chunking = new BlobChunking(4096, 64L << 20);

    @Test
    void splitsAValueIntoBoundedChunksFollowedByItsManifest() {
        byte[] blob = randomBytes(100_000, 1);
        List<BlobChunking.Part> parts = chunking.split("model", blob, "meta".getBytes(StandardCharsets.UTF_8));

        assertThat(parts).hasSizeGreaterThan(20);
        assertThat(parts.subList(0, parts.size() - 1)).allSatisfy(part -> {
            assertThat(BlobChunk.isChunk(part.value())).isTrue();
            assertThat(part.value().length).isLessThanOrEqualTo(4096 + BlobChunk.HEADER_BYTES);
            assertThat(BlobChunking.baseKey(part.key())).isEqualTo("model");
        });
        BlobChunking.Part last = parts.get(parts.size() - 1);
        assertThat(last.key()).isEqualTo("model");
        BlobManifest manifest = BlobManifest.decode(last.value());
        assertThat(manifest.chunkCount()).isEqualTo(parts.size() - 1);
        assertThat(manifest.blobBytes()).isEqualTo(blob.length);
        assertThat(new String(manifest.header(), StandardCharsets.UTF_8)).isEqualTo("meta");
        assertThat(chunking.read("model", store(parts)::get)).contains(blob);
    }

    @Test
    void compressesWhatCompressesAndStoresTheRestAsItIs() {
        byte[] repetitive = new byte[200_000];
        List<BlobChunking.Part> compressed = chunking.split("a", repetitive, new byte[0]);
        assertThat(BlobManifest.decode(compressed.get(compressed.size() - 1).value()).codec())
                .isEqualTo(BlobManifest.Codec.DEFLATE);
        assertThat(compressed).hasSize(2);
        assertThat(chunking.read("a", store(compressed)::get)).contains(repetitive);

        byte[] random = randomBytes(10_000, 2);
        List<BlobChunking.Part> stored = chunking.split("b", random, new byte[0]);
        assertThat(BlobManifest.decode(stored.get(stored.size() - 1).value()).codec())
                .isEqualTo(BlobManifest.Codec.NONE);
        assertThat(chunking.read("b", store(stored)::get)).contains(random);
    }

    @Test
    void readsAValueWrittenWholeAsItIs() {
        Map<String, byte[]> store = Map.of("legacy", new byte[] {0, 0, 0, 0, 1, 2, 3});
        assertThat(chunking.read("legacy", store::get)).contains(new byte[] {0, 0, 0, 0, 1, 2, 3});
        assertThat(chunking.read("absent", store::get)).isEmpty();
    }

    @Test
    void refusesAManifestWhoseChunksAreMissingOrOfAnotherBlob() {
        byte[] first = randomBytes(20_000, 3);
        byte[] second = randomBytes(20_000, 4);
        Map<String, byte[]> store = store(chunking.split("m", first, new byte[0]));
        Map<String, byte[]> newer = store(chunking.split("m", second, new byte[0]));
        store.put(BlobChunking.chunkKey("m", 2), newer.get(BlobChunking.chunkKey("m", 2)));

        assertThatThrownBy(() -> chunking.read("m", store::get)).isInstanceOf(IncompleteBlobException.class)
                .hasMessageContaining("chunk 2 is of another blob");
        store.remove(BlobChunking.chunkKey("m", 2));
        assertThatThrownBy(() -> chunking.read("m", store::get)).isInstanceOf(IncompleteBlobException.class)
                .hasMessageContaining("chunk 2 is missing");
    }

    @Test
    void refusesCorruptChunks() {
        byte[] blob = new byte[50_000];
        new Random(5).nextBytes(blob);
        for (int i = 0; i < blob.length; i += 3) {
            blob[i] = 7;
        }
        Map<String, byte[]> store = store(chunking.split("m", blob, new byte[0]));
        byte[] chunk = store.get(BlobChunking.chunkKey("m", 0));
        chunk[chunk.length - 10] ^= 0x55;

        assertThatThrownBy(() -> chunking.read("m", store::get)).isInstanceOf(BlobFormatException.class);
    }

    @Test
    void refusesAManifestLargerThanTheReaderAcceptsBeforeAllocatingIt() {
        BlobManifest huge = new BlobManifest(java.util.UUID.randomUUID(), BlobManifest.Codec.DEFLATE, 1L << 40, 10, 1,
                new byte[32], new byte[0]);
        Map<String, byte[]> store = Map.of("m", huge.encode());

        assertThatThrownBy(() -> chunking.read("m", store::get)).isInstanceOf(BlobFormatException.class)
                .hasMessageContaining("exceeds the largest blob");
    }

    @Test
    void namesStaleChunksOfALargerPreviousBlob() {
        Map<String, byte[]> store = store(chunking.split("m", randomBytes(20_000, 6), new byte[0]));
        List<BlobChunking.Part> smaller = chunking.split("m", randomBytes(5_000, 7), new byte[0]);

        assertThat(BlobChunking.staleChunkKeys("m", store.get("m"), smaller.size() - 1))
                .containsExactly(BlobChunking.chunkKey("m", 2), BlobChunking.chunkKey("m", 3),
                        BlobChunking.chunkKey("m", 4));
        assertThat(BlobChunking.staleChunkKeys("m", null, 1)).isEmpty();
    }

    @Test
    void chunkKeysAreToldApartFromKeysThatMerelyContainTheMark() {
        assertThat(BlobChunking.isChunkKey(BlobChunking.chunkKey("s\u0000drift", 12))).isTrue();
        assertThat(BlobChunking.baseKey(BlobChunking.chunkKey("s\u0000drift", 12))).isEqualTo("s\u0000drift");
        assertThat(BlobChunking.isChunkKey("model\u0000chunk")).isFalse();
        assertThat(BlobChunking.isChunkKey("model\u0000chunkx1")).isFalse();
        assertThat(BlobChunking.baseKey("plain")).isEqualTo("plain");
        assertThat(BlobChunking.chunkKey("m", 7)).startsWith(BlobChunking.chunkKeyPrefix("m"));
        assertThat(BlobChunking.chunkKeyPrefix("m")).doesNotStartWith(BlobChunking.chunkKeyPrefix("m2"));
    }

    @Test
    void aChunksHeaderIsReadWithoutItsPayload() {
        List<BlobChunking.Part> parts = chunking.split("m", randomBytes(10_000, 8), new byte[0]);
        byte[] value = parts.get(1).value();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(value);

        BlobChunk header = BlobChunk.decodeHeader(buffer);
        BlobChunk whole = BlobChunk.decode(value);
        assertThat(header.blobId()).isEqualTo(whole.blobId());
        assertThat(header.index()).isEqualTo(1);
        assertThat(header.count()).isEqualTo(whole.count());
        assertThat(header.payload()).isEmpty();
        assertThat(buffer.position()).isZero();
        assertThatThrownBy(() -> BlobChunk.decodeHeader(java.nio.ByteBuffer.wrap(new byte[] {'S', 'L', 'C', '1'})))
                .isInstanceOf(BlobFormatException.class);
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static Map<String, byte[]> store(List<BlobChunking.Part> parts) {
        Map<String, byte[]> store = new HashMap<>();
        new ArrayList<>(parts).forEach(part -> store.put(part.key(), part.value()));
        return store;
    }
}

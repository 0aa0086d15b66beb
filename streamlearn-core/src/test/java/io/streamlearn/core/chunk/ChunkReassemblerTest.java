package io.streamlearn.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkReassemblerTest {

    private final BlobChunking chunking = new BlobChunking(2048, 1L << 20);

    @Test
    void assemblesBlobsOfSeveralKeysInterleavedOnOneTopic() {
        byte[] a = BlobChunkingTest.randomBytes(9_000, 1);
        byte[] b = BlobChunkingTest.randomBytes(5_000, 2);
        List<BlobChunking.Part> partsA = chunking.split("a", a, new byte[0]);
        List<BlobChunking.Part> partsB = chunking.split("b", b, new byte[0]);
        List<BlobChunking.Part> log = new ArrayList<>();
        for (int i = 0; i < Math.max(partsA.size(), partsB.size()); i++) {
            if (i < partsA.size()) {
                log.add(partsA.get(i));
            }
            if (i < partsB.size()) {
                log.add(partsB.get(i));
            }
        }

        Map<String, byte[]> assembled = readAll(new ChunkReassembler(chunking), log);

        assertThat(assembled).containsOnlyKeys("a", "b");
        assertThat(assembled.get("a")).isEqualTo(a);
        assertThat(assembled.get("b")).isEqualTo(b);
    }

    @Test
    void passesValuesWrittenWholeThrough() {
        ChunkReassembler reassembler = new ChunkReassembler(chunking);
        Optional<ChunkReassembler.Assembled> whole = reassembler.accept("m", new byte[] {'S', 'L', 'M', '1'});
        assertThat(whole).hasValueSatisfying(value -> {
            assertThat(value.manifest()).isNull();
            assertThat(value.value()).containsExactly('S', 'L', 'M', '1');
        });
    }

    /**
     * Every way log compaction can leave a topic on which three versions of a blob (of 5, 2 and 4 chunks) were written:
     * the reader yields only whole, verified versions, and always the newest last. (Chunks of an aborted transaction
     * never reach a read_committed reader; the broker test covers that.)
     */
    @Test
    void neverYieldsAMixOfVersionsWhateverCompactionLeft() {
        List<byte[]> versions = List.of(BlobChunkingTest.randomBytes(9_000, 10),
                BlobChunkingTest.randomBytes(3_000, 11), BlobChunkingTest.randomBytes(7_000, 12));
        List<BlobChunking.Part> log = new ArrayList<>();
        versions.forEach(version -> log.addAll(chunking.split("m", version, new byte[0])));

        for (int cleanedUpTo = 0; cleanedUpTo <= log.size(); cleanedUpTo++) {
            List<byte[]> yielded = new ArrayList<>();
            ChunkReassembler reassembler = new ChunkReassembler(chunking);
            for (BlobChunking.Part part : compact(log, cleanedUpTo)) {
                try {
                    reassembler.accept(part.key(), part.value()).ifPresent(blob -> yielded.add(blob.value()));
                } catch (IncompleteBlobException expected) {
                    // an older manifest whose chunks a newer version replaced
                }
            }
            assertThat(yielded).as("compacted up to %d", cleanedUpTo).isNotEmpty()
                    .allSatisfy(blob -> assertThat(versions).anySatisfy(v -> assertThat(blob).isEqualTo(v)));
            assertThat(yielded.get(yielded.size() - 1)).isEqualTo(versions.get(2));
        }
    }

    @Test
    void aManifestWithoutItsChunksIsIncomplete() {
        List<BlobChunking.Part> parts = chunking.split("m", BlobChunkingTest.randomBytes(6_000, 3), new byte[0]);
        ChunkReassembler reassembler = new ChunkReassembler(chunking);
        reassembler.accept(parts.get(0).key(), parts.get(0).value());

        BlobChunking.Part manifest = parts.get(parts.size() - 1);
        assertThatThrownBy(() -> reassembler.accept(manifest.key(), manifest.value()))
                .isInstanceOf(IncompleteBlobException.class);
        assertThat(reassembler.heldBytes()).isZero();
    }

    @Test
    void holdsNoMoreThanTheLargestBlobWhenChunksNeverComplete() {
        ChunkReassembler reassembler = new ChunkReassembler(chunking);
        for (int key = 0; key < 2_000; key++) {
            List<BlobChunking.Part> parts = chunking.split("k" + key, BlobChunkingTest.randomBytes(4_000, key),
                    new byte[0]);
            reassembler.accept(parts.get(0).key(), parts.get(0).value());
            assertThat(reassembler.heldBytes()).isLessThanOrEqualTo(chunking.maxBlobBytes());
        }
        assertThat(reassembler.discardedChunks()).isPositive();
    }

    @Test
    void aChunkClaimingAHugeCountAllocatesNothingForIt() {
        byte[] hostile = BlobChunk.encode(java.util.UUID.randomUUID(), 0, Integer.MAX_VALUE, new byte[8], 0, 8);
        ChunkReassembler reassembler = new ChunkReassembler(chunking);
        assertThat(reassembler.accept(BlobChunking.chunkKey("m", 0), hostile)).isEmpty();
        assertThat(reassembler.heldBytes()).isEqualTo(8);
    }

    /**
     * Kafka's cleaner: a record before {@code cleanedUpTo} is dropped when a later record before that point has its
     * key; records from there on are untouched (the uncleaned tail, active segment included).
     */
    static List<BlobChunking.Part> compact(List<BlobChunking.Part> log, int cleanedUpTo) {
        Map<String, Integer> lastBefore = new HashMap<>();
        for (int i = 0; i < cleanedUpTo; i++) {
            lastBefore.put(log.get(i).key(), i);
        }
        List<BlobChunking.Part> kept = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            if (i >= cleanedUpTo || lastBefore.get(log.get(i).key()) == i) {
                kept.add(log.get(i));
            }
        }
        return kept;
    }

    private static Map<String, byte[]> readAll(ChunkReassembler reassembler, List<BlobChunking.Part> log) {
        Map<String, byte[]> assembled = new HashMap<>();
        log.forEach(part -> reassembler.accept(part.key(), part.value())
                .ifPresent(blob -> assembled.put(blob.key(), blob.value())));
        return assembled;
    }
}

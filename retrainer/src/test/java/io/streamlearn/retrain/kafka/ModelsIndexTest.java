package io.streamlearn.retrain.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.retrain.kafka.ModelsIndex.Applied;
import io.streamlearn.retrain.kafka.ModelsIndex.Location;
import io.streamlearn.retrain.kafka.ModelsIndex.Shape;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ModelsIndexTest {

    private static final UUID BLOB = new UUID(1, 1);
    private static final UUID OTHER = new UUID(2, 2);

    @Test
    void theHigherOffsetOfAPartitionIsNewestAndATombstoneRemovesTheKey() {
        ModelsIndex index = new ModelsIndex();
        index.apply("m", Shape.WHOLE, at(0, 3, 100));
        index.apply("m", Shape.WHOLE, at(0, 7, 90));
        index.apply("m", Shape.WHOLE, at(0, 5, 200));
        assertThat(index.find("m")).contains(at(0, 7, 90));

        index.apply("m", Shape.TOMBSTONE, at(0, 8, 0));
        assertThat(index.find("m")).isEmpty();
        assertThat(index.keys()).isEmpty();

        index.apply("m", Shape.WHOLE, at(0, 9, 0));
        assertThat(index.find("m")).contains(at(0, 9, 0));
    }

    @Test
    void acrossPartitionsTheLaterTimestampWins() {
        ModelsIndex index = new ModelsIndex();
        index.apply("m@batch", Shape.WHOLE, at(1, 40, 500));
        index.apply("m@batch", Shape.WHOLE, at(0, 2, 400));
        assertThat(index.find("m@batch")).contains(at(1, 40, 500));

        index.apply("m@batch", Shape.WHOLE, at(0, 3, 500));
        assertThat(index.find("m@batch")).contains(at(0, 3, 500));
        index.apply("m@batch", Shape.TOMBSTONE, at(1, 41, 499));
        assertThat(index.find("m@batch")).contains(at(0, 3, 500));
    }

    @Test
    void aBlobIsIndexedAtItsManifestFromItsFirstChunkWithOtherKeysBetween() {
        ModelsIndex index = new ModelsIndex();
        assertThat(index.apply(BlobChunking.chunkKey("m", 0), Shape.chunk(BLOB, 0, 3), at(0, 10, 1)))
                .isEqualTo(Applied.READ);
        index.apply("other", Shape.WHOLE, at(0, 11, 1));
        index.apply(BlobChunking.chunkKey("m", 1), Shape.chunk(BLOB, 1, 3), at(0, 12, 1));
        index.apply(BlobChunking.chunkKey("m", 2), Shape.chunk(BLOB, 2, 3), at(0, 13, 1));
        assertThat(index.find("m")).as("chunks alone are no value").isEmpty();

        assertThat(index.apply("m", Shape.manifest(BLOB, 3), at(0, 14, 1))).isEqualTo(Applied.READ);
        assertThat(index.find("m")).contains(new Location(0, 10, 14, 1));
        assertThat(index.keys()).containsExactlyInAnyOrder("m", "other");
    }

    @Test
    void aManifestWithoutAllItsChunksInOrderIsSkippedAndTheKeyKeepsItsValue() {
        ModelsIndex index = new ModelsIndex();
        index.apply("m", Shape.WHOLE, at(0, 1, 1));

        // What compaction leaves of an older blob whose chunk 0 a newer blob replaced.
        index.apply(BlobChunking.chunkKey("m", 1), Shape.chunk(BLOB, 1, 2), at(0, 5, 1));
        assertThat(index.apply("m", Shape.manifest(BLOB, 2), at(0, 6, 1))).isEqualTo(Applied.INCOMPLETE);
        // Chunks of another blob before the manifest.
        index.apply(BlobChunking.chunkKey("m", 0), Shape.chunk(OTHER, 0, 2), at(0, 7, 1));
        index.apply(BlobChunking.chunkKey("m", 1), Shape.chunk(OTHER, 1, 2), at(0, 8, 1));
        assertThat(index.apply("m", Shape.manifest(BLOB, 2), at(0, 9, 1))).isEqualTo(Applied.INCOMPLETE);
        // Fewer chunks than the manifest counts, and a gap.
        index.apply(BlobChunking.chunkKey("m", 0), Shape.chunk(BLOB, 0, 3), at(0, 10, 1));
        index.apply(BlobChunking.chunkKey("m", 1), Shape.chunk(BLOB, 1, 3), at(0, 11, 1));
        assertThat(index.apply("m", Shape.manifest(BLOB, 3), at(0, 12, 1))).isEqualTo(Applied.INCOMPLETE);
        index.apply(BlobChunking.chunkKey("m", 0), Shape.chunk(BLOB, 0, 3), at(0, 13, 1));
        index.apply(BlobChunking.chunkKey("m", 2), Shape.chunk(BLOB, 2, 3), at(0, 14, 1));
        assertThat(index.apply("m", Shape.manifest(BLOB, 3), at(0, 15, 1))).isEqualTo(Applied.INCOMPLETE);
        // A malformed chunk breaks its blob; a malformed manifest is counted apart.
        index.apply(BlobChunking.chunkKey("m", 0), Shape.chunk(BLOB, 0, 2), at(0, 16, 1));
        index.apply(BlobChunking.chunkKey("m", 1), Shape.MALFORMED, at(0, 17, 1));
        assertThat(index.apply("m", Shape.manifest(BLOB, 2), at(0, 18, 1))).isEqualTo(Applied.INCOMPLETE);
        assertThat(index.apply("m", Shape.MALFORMED, at(0, 19, 1))).isEqualTo(Applied.MALFORMED);

        assertThat(index.find("m")).contains(at(0, 1, 1));
    }

    @Test
    void chunksOfOneKeyInTwoPartitionsAreHeldApart() {
        ModelsIndex index = new ModelsIndex();
        index.apply(BlobChunking.chunkKey("m", 0), Shape.chunk(BLOB, 0, 2), at(0, 3, 100));
        index.apply(BlobChunking.chunkKey("m", 0), Shape.chunk(OTHER, 0, 1), at(1, 0, 200));
        index.apply(BlobChunking.chunkKey("m", 1), Shape.chunk(BLOB, 1, 2), at(0, 4, 100));
        index.apply("m", Shape.manifest(OTHER, 1), at(1, 1, 200));
        assertThat(index.apply("m", Shape.manifest(BLOB, 2), at(0, 5, 100))).isEqualTo(Applied.READ);

        assertThat(index.find("m")).contains(new Location(1, 0, 1, 200));
    }

    private static Location at(int partition, long offset, long timestamp) {
        return new Location(partition, offset, offset, timestamp);
    }
}

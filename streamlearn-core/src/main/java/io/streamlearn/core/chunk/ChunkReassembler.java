package io.streamlearn.core.chunk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reassembles chunked blobs from a topic read in offset order (one partition at a time, or several interleaved: the
 * chunks of one key share its partition). Chunks are held per key until their manifest comes; a chunk of another blob
 * for the same key replaces what was held (a newer write, or what compaction left of an older one). Held bytes are
 * bounded: a reader never holds more than {@code maxBlobBytes} of chunks in all, so a flood of chunks that no manifest
 * completes cannot exhaust memory.
 *
 * <p>Not thread-safe: one instance per reading thread.
 */
public final class ChunkReassembler {

    /**
     * A complete value: a verified blob with its manifest, or a value written whole ({@code manifest} null).
     *
     * @param key the blob's key (for a manifest, the record key; chunk keys never appear here)
     */
    public record Assembled(String key, byte[] value, BlobManifest manifest) {
    }

    private final BlobChunking chunking;
    private final Map<String, Held> held = new HashMap<>();
    private long heldBytes;
    private long discarded;

    public ChunkReassembler(BlobChunking chunking) {
        this.chunking = chunking;
    }

    /**
     * Takes the next record of the topic.
     *
     * @param value a non-null record value
     * @return the complete value when this record completes one (a manifest whose chunks were all read, or a value
     *         written whole); empty for a chunk
     * @throws IncompleteBlobException when a manifest arrives without all its chunks
     * @throws BlobFormatException     when a record is malformed or a blob does not verify
     */
    public Optional<Assembled> accept(String key, byte[] value) {
        return accept(key, value, manifest -> true);
    }

    /**
     * As {@link #accept(String, byte[])}, assembling a manifest's blob only when {@code wanted} says so (e.g. when the
     * header names a version newer than the one held): otherwise its chunks are dropped and nothing is returned.
     */
    public Optional<Assembled> accept(String key, byte[] value, java.util.function.Predicate<BlobManifest> wanted) {
        if (BlobChunk.isChunk(value)) {
            hold(BlobChunking.baseKey(key), BlobChunk.decode(value));
            return Optional.empty();
        }
        if (!BlobManifest.isManifest(value)) {
            return Optional.of(new Assembled(key, value, null));
        }
        BlobManifest manifest = BlobManifest.decode(value);
        Held chunks = held.remove(key);
        if (chunks != null) {
            heldBytes -= chunks.bytes();
        }
        if (!wanted.test(manifest)) {
            return Optional.empty();
        }
        List<BlobChunk> ordered = chunks == null || !chunks.blobId.equals(manifest.blobId())
                ? List.of() : chunks.ordered();
        return Optional.of(new Assembled(key, chunking.assemble(manifest, ordered), manifest));
    }

    /**
     * The complete values among records read in order (chunks reassembled, values written whole as they are), e.g.
     * for a tool or a test that reads a whole topic.
     */
    public static <R> List<byte[]> completeValues(List<R> records, java.util.function.Function<R, String> key,
            java.util.function.Function<R, byte[]> value) {
        ChunkReassembler reassembler = new ChunkReassembler(BlobChunking.defaults());
        List<byte[]> complete = new ArrayList<>();
        for (R record : records) {
            byte[] bytes = value.apply(record);
            if (bytes != null) {
                reassembler.accept(key.apply(record), bytes).ifPresent(blob -> complete.add(blob.value()));
            }
        }
        return complete;
    }

    /** Chunks dropped unused: replaced by another blob's, or evicted to stay within the bound. */
    public long discardedChunks() {
        return discarded;
    }

    /** Bytes of chunks held while their manifests are awaited. */
    public long heldBytes() {
        return heldBytes;
    }

    private void hold(String key, BlobChunk chunk) {
        Held chunks = held.get(key);
        if (chunks == null || !chunks.blobId.equals(chunk.blobId()) || chunks.count() != chunk.count()) {
            drop(key);
            chunks = new Held(chunk.blobId(), chunk.count(), new HashMap<>());
            held.put(key, chunks);
        }
        BlobChunk previous = chunks.chunks.put(chunk.index(), chunk);
        if (previous != null) {
            heldBytes -= previous.payload().length;
            discarded++;
        }
        heldBytes += chunk.payload().length;
        while (heldBytes > chunking.maxBlobBytes() && !held.isEmpty()) {
            drop(held.keySet().stream().filter(other -> !other.equals(key)).findFirst().orElse(key));
        }
    }

    private void drop(String key) {
        Held chunks = held.remove(key);
        if (chunks != null) {
            heldBytes -= chunks.bytes();
            discarded += chunks.chunks.size();
        }
    }

    /** Chunks by index; a map, since a hostile chunk may claim any count. */
    private record Held(UUID blobId, int count, Map<Integer, BlobChunk> chunks) {

        long bytes() {
            return chunks.values().stream().mapToLong(chunk -> chunk.payload().length).sum();
        }

        List<BlobChunk> ordered() {
            List<BlobChunk> ordered = new ArrayList<>(chunks.size());
            for (int index = 0; index < Math.min(count, chunks.size() + 1); index++) {
                ordered.add(chunks.get(index));
            }
            return ordered;
        }
    }
}

package io.streamlearn.core.chunk;

import io.streamlearn.core.config.ConfigValues;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * Carries a value of any size (a model, a checkpoint, a training reference) in Kafka records of bounded size: the value
 * is compressed, cut into chunks of at most {@code chunkBytes} and followed by a {@link BlobManifest} under the value's
 * own key, all meant to be written in one transaction. The idea follows LinkedIn's {@code li-apache-kafka-clients}
 * large-message segments (message id, index, count, size, digest), adapted to compacted topics and state stores.
 *
 * <p>Chunk {@code i} of key {@code k} is keyed {@code k + "\u0000chunk" + i}: a compacted topic then keeps the newest chunk of
 * each index beside the newest manifest, and a reader checks the blob id and digest, so a mix left by compaction or an
 * aborted transaction is detected and never used. Chunks must reach the same partition as their manifest (partition by
 * {@link #baseKey}).
 */
public final class BlobChunking {

    /** Well under Kafka's 1 MiB default record limit, leaving room for the key, headers and batch overhead. */
    public static final int DEFAULT_CHUNK_BYTES = 512 * 1024;
    /** The largest blob a reader assembles unless configured otherwise; a manifest claiming more is refused. */
    public static final long DEFAULT_MAX_BLOB_BYTES = 1L << 30;
    static final String CHUNK_MARK = "\u0000chunk";
    private static final int MIN_CHUNK_BYTES = 1024;

    /** A record to write: its key and value. */
    public record Part(String key, byte[] value) {
    }

    private final int chunkBytes;
    private final long maxBlobBytes;

    public BlobChunking(int chunkBytes, long maxBlobBytes) {
        if (chunkBytes < MIN_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk size must be at least " + MIN_CHUNK_BYTES + " bytes, got "
                    + chunkBytes);
        }
        if (maxBlobBytes < 1 || maxBlobBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("largest blob must be between 1 byte and 2 GiB, got " + maxBlobBytes);
        }
        this.chunkBytes = chunkBytes;
        this.maxBlobBytes = maxBlobBytes;
    }

    /** Room for a chunk's key, its header and the record's framing within one produce request. */
    static final int CHUNK_OVERHEAD_BYTES = 16 * 1024;

    /**
     * From {@code snapshot.chunk.bytes} and {@code snapshot.max.bytes}; a chunk plus its record overhead must fit the
     * producer's {@code max.request.size} given under {@code kafka.} (Kafka's default 1 MiB, which brokers'
     * {@code message.max.bytes} also defaults to).
     *
     * @throws IllegalArgumentException naming the key when a value is out of range
     */
    public static BlobChunking of(ConfigValues values) {
        BlobChunking chunking;
        try {
            chunking = new BlobChunking((int) values.getLong("snapshot.chunk.bytes", DEFAULT_CHUNK_BYTES),
                    values.getLong("snapshot.max.bytes", DEFAULT_MAX_BLOB_BYTES));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("snapshot.chunk.bytes / snapshot.max.bytes: " + e.getMessage(), e);
        }
        long maxRequest = producerMaxRequestSize(values);
        if (chunking.chunkBytes() + CHUNK_OVERHEAD_BYTES > maxRequest) {
            throw new IllegalArgumentException("snapshot.chunk.bytes (" + chunking.chunkBytes() + ") plus "
                    + CHUNK_OVERHEAD_BYTES + " bytes of record overhead must fit the producer's max.request.size ("
                    + maxRequest + ")");
        }
        return chunking;
    }

    /**
     * The producer's {@code max.request.size} as configured under {@code kafka.producer.} or {@code kafka.}, else
     * Kafka's default of 1 MiB: what any record a service writes must fit.
     */
    public static long producerMaxRequestSize(ConfigValues values) {
        return values.getLong("kafka.producer.max.request.size", values.getLong("kafka.max.request.size", 1 << 20));
    }

    public static BlobChunking defaults() {
        return new BlobChunking(DEFAULT_CHUNK_BYTES, DEFAULT_MAX_BLOB_BYTES);
    }

    public int chunkBytes() {
        return chunkBytes;
    }

    public long maxBlobBytes() {
        return maxBlobBytes;
    }

    public static String chunkKey(String key, int index) {
        return key + CHUNK_MARK + index;
    }

    /**
     * What every chunk key of {@code key} starts with, for a prefix scan of a store; a key that starts with it is a chunk
     * of {@code key} only when {@link #baseKey} of it is {@code key}.
     */
    public static String chunkKeyPrefix(String key) {
        return key + CHUNK_MARK;
    }

    public static boolean isChunkKey(String key) {
        return markAt(key) >= 0;
    }

    /** The key of the blob a record belongs to: the key itself for a manifest or a value written whole. */
    public static String baseKey(String key) {
        int mark = markAt(key);
        return mark < 0 ? key : key.substring(0, mark);
    }

    private static int markAt(String key) {
        int mark = key == null ? -1 : key.lastIndexOf(CHUNK_MARK);
        if (mark < 0 || mark + CHUNK_MARK.length() == key.length()) {
            return -1;
        }
        for (int i = mark + CHUNK_MARK.length(); i < key.length(); i++) {
            if (!Character.isDigit(key.charAt(i))) {
                return -1;
            }
        }
        return mark;
    }

    /**
     * The records that carry {@code blob}: its chunks in order, then its manifest.
     *
     * @param header a small description readers may use without the chunks (at most
     *               {@link BlobManifest#MAX_HEADER_BYTES}); empty for none
     */
    public List<Part> split(String key, byte[] blob, byte[] header) {
        if (isChunkKey(key)) {
            throw new IllegalArgumentException("a blob key must not look like a chunk key");
        }
        if (blob.length > maxBlobBytes) {
            throw new IllegalArgumentException("blob of " + blob.length + " bytes exceeds the largest allowed ("
                    + maxBlobBytes + ")");
        }
        byte[] stored = deflate(blob);
        BlobManifest.Codec codec = BlobManifest.Codec.DEFLATE;
        if (stored.length >= blob.length) {
            stored = blob;
            codec = BlobManifest.Codec.NONE;
        }
        UUID id = UUID.randomUUID();
        int count = Math.max(1, (stored.length + chunkBytes - 1) / chunkBytes);
        List<Part> parts = new ArrayList<>(count + 1);
        for (int index = 0; index < count; index++) {
            int from = index * chunkBytes;
            int length = Math.min(chunkBytes, stored.length - from);
            parts.add(new Part(chunkKey(key, index), BlobChunk.encode(id, index, count, stored, from, length)));
        }
        parts.add(new Part(key, new BlobManifest(id, codec, blob.length, stored.length, count, sha256(blob), header)
                .encode()));
        return parts;
    }

    /**
     * The verified blob of a manifest and its chunks.
     *
     * @param chunks the manifest's chunks by index; an entry may be {@code null} (missing)
     * @throws IncompleteBlobException when a chunk is missing or belongs to another blob
     * @throws BlobFormatException     when sizes, decompression or the digest do not match
     */
    public byte[] assemble(BlobManifest manifest, List<BlobChunk> chunks) {
        if (manifest.blobBytes() > maxBlobBytes || manifest.storedBytes() > maxBlobBytes) {
            throw new BlobFormatException(manifest + " exceeds the largest blob this reader accepts ("
                    + maxBlobBytes + " bytes)");
        }
        long total = 0;
        for (int index = 0; index < manifest.chunkCount(); index++) {
            BlobChunk chunk = index < chunks.size() ? chunks.get(index) : null;
            if (chunk == null || !chunk.blobId().equals(manifest.blobId())) {
                throw new IncompleteBlobException(manifest + ": chunk " + index + " is "
                        + (chunk == null ? "missing" : "of another blob (" + chunk.blobId() + ")"));
            }
            if (chunk.count() != manifest.chunkCount()) {
                throw new BlobFormatException(manifest + ": chunk " + index + " claims " + chunk.count() + " chunks");
            }
            total += chunk.payload().length;
        }
        if (total != manifest.storedBytes()) {
            throw new BlobFormatException(manifest + ": its chunks hold " + total + " bytes");
        }
        byte[] stored = new byte[(int) total];
        int at = 0;
        for (int index = 0; index < manifest.chunkCount(); index++) {
            byte[] payload = chunks.get(index).payload();
            System.arraycopy(payload, 0, stored, at, payload.length);
            at += payload.length;
        }
        byte[] blob = manifest.codec() == BlobManifest.Codec.NONE ? stored : inflate(stored, manifest);
        if (blob.length != manifest.blobBytes() || !MessageDigest.isEqual(sha256(blob), manifest.digest())) {
            throw new BlobFormatException(manifest + ": the assembled bytes do not match its digest");
        }
        return blob;
    }

    /**
     * Reads the blob stored under {@code key} in a key-value store written with {@link #split}. A value that is not a
     * manifest was written whole (before chunking existed, or by another writer) and is returned as it is.
     *
     * @return empty when nothing is stored under the key
     */
    public Optional<byte[]> read(String key, Function<String, byte[]> lookup) {
        byte[] value = lookup.apply(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!BlobManifest.isManifest(value)) {
            return Optional.of(value);
        }
        BlobManifest manifest = BlobManifest.decode(value);
        List<BlobChunk> chunks = new ArrayList<>(manifest.chunkCount());
        for (int index = 0; index < manifest.chunkCount(); index++) {
            byte[] chunk = lookup.apply(chunkKey(key, index));
            chunks.add(chunk == null ? null : BlobChunk.decode(chunk));
        }
        return Optional.of(assemble(manifest, chunks));
    }

    /**
     * The chunk keys a store holds for {@code key} beyond the chunks of the blob now stored there, which a writer
     * deletes after writing a smaller blob over a larger one.
     */
    public static List<String> staleChunkKeys(String key, byte[] previousValue, int newChunkCount) {
        if (!BlobManifest.isManifest(previousValue)) {
            return List.of();
        }
        int previousCount = BlobManifest.decode(previousValue).chunkCount();
        List<String> stale = new ArrayList<>();
        for (int index = newChunkCount; index < previousCount; index++) {
            stale.add(chunkKey(key, index));
        }
        return stale;
    }

    private static byte[] deflate(byte[] blob) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, blob.length / 3));
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream stream = new DeflaterOutputStream(out, deflater, 64 * 1024)) {
            stream.write(blob);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("compressing in memory failed", e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    /** Inflates into exactly the size the manifest declares (checked against the reader's bound before). */
    private static byte[] inflate(byte[] stored, BlobManifest manifest) {
        byte[] blob = new byte[(int) manifest.blobBytes()];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stored);
            byte[] overflow = new byte[1];
            int at = 0;
            while (!inflater.finished()) {
                boolean full = at == blob.length;
                int n = full ? inflater.inflate(overflow) : inflater.inflate(blob, at, blob.length - at);
                if (full && n > 0) {
                    throw new BlobFormatException(manifest + ": decompresses to more than the declared size");
                }
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                at += full ? 0 : n;
            }
            if (at != blob.length || !inflater.finished()) {
                throw new BlobFormatException(manifest + ": decompressed " + at + " bytes, not the declared size");
            }
            return blob;
        } catch (DataFormatException e) {
            throw new BlobFormatException(manifest + ": compressed bytes are corrupt", e);
        } finally {
            inflater.end();
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}

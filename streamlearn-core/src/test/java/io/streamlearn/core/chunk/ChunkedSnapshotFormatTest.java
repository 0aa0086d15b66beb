package io.streamlearn.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records of a snapshot as the first chunked build wrote them to {@code models} (the format-1 Electricity fixture,
 * in chunks of 1 KiB, committed as a test resource): later builds must keep reassembling and loading them, as
 * {@code FormatV1SnapshotTest} does for the snapshot format itself. {@link #main} wrote the fixture.
 */
class ChunkedSnapshotFormatTest {

    private static final String FIXTURE = "/snapshots/electricity-hoeffdingtree-format1.chunked";
    private static final String SNAPSHOT = "/snapshots/electricity-hoeffdingtree-format1.slm";

    @Test
    void recordsWrittenByTheFirstChunkedBuildStillReassembleIntoTheSnapshot() throws Exception {
        List<BlobChunking.Part> records = readRecords(resource(FIXTURE));
        assertThat(records.size()).as("chunks and a manifest").isGreaterThan(5);

        List<byte[]> complete = ChunkReassembler.completeValues(records, BlobChunking.Part::key,
                BlobChunking.Part::value);

        assertThat(complete).singleElement().isEqualTo(resource(SNAPSHOT));
        ModelSnapshot snapshot = ModelSnapshotCodec.decode(complete.get(0));
        assertThat(snapshot.metadata().eventsSeen()).isEqualTo(2000);
        BlobChunking.Part manifest = records.get(records.size() - 1);
        assertThat(ModelSnapshotCodec.decodeMetadata(manifest.value())).isEqualTo(snapshot.metadata());
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ChunkedSnapshotFormatTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** Records as a sequence of (key length, key in UTF-8, value length, value). */
    private static List<BlobChunking.Part> readRecords(byte[] file) throws Exception {
        List<BlobChunking.Part> records = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(file))) {
            while (in.available() > 0) {
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                byte[] value = new byte[in.readInt()];
                in.readFully(value);
                records.add(new BlobChunking.Part(new String(key, StandardCharsets.UTF_8), value));
            }
        }
        return records;
    }

    /**
     * Writes the fixture into the directory given as the first argument, from the format-1 snapshot fixture; run by
     * hand only when the chunk format changes on purpose (then add a fixture beside this one).
     */
    public static void main(String[] args) throws Exception {
        byte[] snapshot = resource(SNAPSHOT);
        List<BlobChunking.Part> records = ModelSnapshotCodec.toRecords("electricity", snapshot,
                new BlobChunking(1024, BlobChunking.DEFAULT_MAX_BLOB_BYTES));
        try (OutputStream file = Files.newOutputStream(Path.of(args[0], "electricity-hoeffdingtree-format1.chunked"));
                DataOutputStream out = new DataOutputStream(file)) {
            for (BlobChunking.Part record : records) {
                byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                out.writeInt(record.value().length);
                out.write(record.value());
            }
        }
        System.out.println(records.size() + " records");
    }
}

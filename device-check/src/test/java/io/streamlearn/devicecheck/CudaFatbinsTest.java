package io.streamlearn.devicecheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaFatbinsTest {

    @TempDir
    Path dir;

    /**
     * Three containers as nvcc lays them out: the first with SASS for sm_75, sm_80, sm_90 and PTX for compute_120; the
     * second with Blackwell (sm_100) SASS only, as some of XGBoost's are; the third (after zero padding, in the
     * relocatable section) with sm_80 SASS and compute_80 PTX only.
     */
    private final SyntheticLibrary library = new SyntheticLibrary()
            .container(".nv_fatbin", entry(2, 75, 300), entry(2, 80, 310), entry(2, 90, 420), entry(1, 120, 500))
            .container(".nv_fatbin", entry(2, 100, 90))
            .container("__nv_relfatbin", entry(2, 80, 200), entry(1, 80, 260));

    @Test
    void readsEveryEntryOfBothSections() {
        List<CudaFatbins.Entry> entries = CudaFatbins.entries(ByteBuffer.wrap(library.bytes()));

        assertThat(entries).extracting(CudaFatbins.Entry::label)
                .containsExactly("sm_75", "sm_80", "sm_90", "compute_120", "sm_100", "sm_80", "compute_80");
        assertThat(entries).extracting(CudaFatbins.Entry::container).containsExactly(0, 0, 0, 0, 1, 2, 2);
        assertThat(entries).extracting(CudaFatbins.Entry::payloadSize).containsExactly(300L, 310L, 420L, 500L, 90L,
                200L, 260L);
    }

    @Test
    void hopperKeepsItsOwnSassAndThePtxWhereAContainerHasNoSassForIt() throws IOException {
        Path reduced = dir.resolve("reduced.so");
        CudaFatbins.Reduction reduction = CudaFatbins.reduce(write(), reduced, 90);

        byte[] before = library.bytes();
        byte[] after = Files.readAllBytes(reduced);
        assertThat(after).hasSameSizeAs(before);
        List<CudaFatbins.Entry> entries = CudaFatbins.entries(ByteBuffer.wrap(after));
        assertThat(entries).as("headers untouched").isEqualTo(CudaFatbins.entries(ByteBuffer.wrap(before)));
        for (CudaFatbins.Entry entry : entries) {
            boolean kept = entry.label().equals(entry.container() == 0 ? "sm_90" : "compute_80");
            byte[] payload = payload(after, entry);
            if (kept) {
                assertThat(payload).as(entry.label()).isEqualTo(payload(before, entry));
            } else {
                assertThat(payload).as(entry.label()).containsOnly(0);
            }
        }
        assertThat(reduction.containersWithoutCode()).as("the Blackwell-only container").isEqualTo(1);
        assertThat(reduction.kept()).containsOnlyKeys("sm_90", "compute_80");
        int firstPayload = Math.toIntExact(entries.get(0).payloadOffset());
        assertThat(Arrays.copyOf(after, firstPayload)).as("ELF header, section table, container and entry headers")
                .isEqualTo(Arrays.copyOf(before, firstPayload));
    }

    @Test
    void anAdaLovelaceGpuRunsTheAmpereSassOfItsMajor() throws IOException {
        CudaFatbins.Reduction reduction = CudaFatbins.reduce(write(), dir.resolve("reduced.so"), 89);

        assertThat(reduction.kept()).containsOnlyKeys("sm_80").containsEntry("sm_80", 310L + 200L);
        assertThat(reduction.zeroed()).containsOnlyKeys("sm_75", "sm_90", "compute_120", "sm_100", "compute_80");
        assertThat(reduction.containers()).isEqualTo(3);
        assertThat(reduction.containersWithoutCode()).isEqualTo(1);
    }

    @Test
    void refusesATargetNoContainerHasCodeFor() {
        assertThatThrownBy(() -> reduce(70)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no fatbin container has code for compute capability 7.0")
                .hasMessageContaining("sm_75");
    }

    /**
     * Holds with either XGBoost build on the classpath: the CPU-only library (the default build) is refused as having
     * no CUDA code; the CUDA library (-Pgpu) reduces to Hopper code only, every container keeping sm_90 SASS.
     */
    @Test
    void xgboostsOwnLibraryIsRefusedWithoutCudaCodeOrReducedToHopper() throws IOException {
        Path xgboost = dir.resolve("libxgboost4j.so");
        try (InputStream in = CudaFatbinsTest.class.getResourceAsStream("/lib/linux/x86_64/libxgboost4j.so")) {
            assertThat(in).as("XGBoost4J's Linux x86_64 library on the classpath").isNotNull();
            Files.copy(in, xgboost);
        }
        boolean cudaBuild = !CudaFatbins.entries(ByteBuffer.wrap(Files.readAllBytes(xgboost))).isEmpty();
        if (!cudaBuild) {
            assertThat(System.getProperty("java.class.path")).doesNotContain("-gpu");
            assertThatThrownBy(() -> CudaFatbins.reduce(xgboost, dir.resolve("reduced.so"), 90))
                    .hasMessageContaining("has no CUDA code");
            return;
        }
        CudaFatbins.Reduction reduction = CudaFatbins.reduce(xgboost, dir.resolve("reduced.so"), 90);
        assertThat(reduction.kept()).containsOnlyKeys("sm_90");
        assertThat(reduction.zeroedBytes()).isGreaterThan(reduction.keptBytes());
    }

    private Path reduce(int target) throws IOException {
        Path reduced = dir.resolve("reduced-" + target + ".so");
        CudaFatbins.reduce(write(), reduced, target);
        return reduced;
    }

    private Path write() throws IOException {
        Path path = dir.resolve("libsynthetic.so");
        Files.write(path, library.bytes());
        return path;
    }

    private static byte[] payload(byte[] file, CudaFatbins.Entry entry) {
        int from = Math.toIntExact(entry.payloadOffset());
        return Arrays.copyOfRange(file, from, from + Math.toIntExact(entry.payloadSize()));
    }

    private static byte[] entry(int kind, int arch, int payloadSize) {
        ByteBuffer entry = ByteBuffer.allocate(64 + payloadSize).order(ByteOrder.LITTLE_ENDIAN);
        entry.putShort(0, (short) kind).putShort(2, (short) 0x101).putInt(4, 64).putLong(8, payloadSize)
                .putInt(16, payloadSize).putInt(28, arch).putLong(40, 0x8011);
        for (int i = 0; i < payloadSize; i++) {
            entry.put(64 + i, (byte) (arch + i * 7 + kind | 1));
        }
        return entry.array();
    }

    /** A minimal 64-bit ELF file: a section-name table and fatbin sections, as much as {@link CudaFatbins} reads. */
    private static final class SyntheticLibrary {

        private final Map<String, ByteArrayOutputStream> sections = new LinkedHashMap<>();

        SyntheticLibrary container(String section, byte[]... entries) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] entry : entries) {
                body.writeBytes(entry);
            }
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(CudaFatbins.CONTAINER_MAGIC).putShort((short) 1).putShort((short) 16).putLong(body.size());
            ByteArrayOutputStream content = sections.computeIfAbsent(section, name -> new ByteArrayOutputStream());
            content.writeBytes(new byte[16]); // zero padding, as between nvcc's containers
            content.writeBytes(header.array());
            content.writeBytes(body.toByteArray());
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream names = new ByteArrayOutputStream();
            names.write(0);
            List<Integer> nameOffsets = new ArrayList<>();
            List<byte[]> data = new ArrayList<>();
            List<String> all = new ArrayList<>(List.of(".shstrtab"));
            all.addAll(sections.keySet());
            for (String name : all) {
                nameOffsets.add(names.size());
                names.writeBytes((name + "\0").getBytes(StandardCharsets.US_ASCII));
            }
            data.add(names.toByteArray());
            sections.values().forEach(content -> data.add(content.toByteArray()));
            int offset = 64;
            int[] offsets = new int[data.size()];
            for (int i = 0; i < data.size(); i++) {
                offsets[i] = offset;
                offset += (data.get(i).length + 7) / 8 * 8;
            }
            int sectionTable = offset;
            int count = data.size() + 1;
            ByteBuffer file = ByteBuffer.allocate(sectionTable + count * 64).order(ByteOrder.LITTLE_ENDIAN);
            file.putInt(0, 0x464C457F).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1)
                    .putLong(0x28, sectionTable).putShort(0x3A, (short) 64).putShort(0x3C, (short) count)
                    .putShort(0x3E, (short) 1);
            for (int i = 0; i < data.size(); i++) {
                file.put(offsets[i], data.get(i));
                int header = sectionTable + (i + 1) * 64;
                file.putInt(header, nameOffsets.get(i)).putInt(header + 4, i == 0 ? 3 : 1)
                        .putLong(header + 0x18, offsets[i]).putLong(header + 0x20, data.get(i).length);
            }
            return file.array();
        }
    }
}

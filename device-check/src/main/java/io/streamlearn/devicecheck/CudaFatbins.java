package io.streamlearn.devicecheck;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The GPU code inside a CUDA shared library (an ELF file such as XGBoost's {@code libxgboost4j.so}), and a copy of
 * that library reduced to one GPU architecture.
 *
 * <p>nvcc puts each translation unit's device code in a fatbin container ({@code .nv_fatbin}, and {@code
 * __nv_relfatbin} for relocatable code): a header (magic {@code 0xBA55ED50}, header size, size of what follows) and
 * entries, each a header (kind 1 = PTX, 2 = SASS/cubin; target architecture, e.g. 90 for sm_90; payload size) and its
 * payload. At load time the CUDA driver picks, per container, the SASS built for the GPU's architecture (or a lower
 * minor one of the same major) and otherwise JIT-compiles PTX of an architecture no higher than the GPU's. So for one
 * target every other entry's payload is dead weight: {@link #reduce} zeroes it, leaving every header, offset and the
 * host code untouched (the file keeps its size and layout; zeroes compress to nothing). XGBoost 3.4.0's library is
 * ~341 MB, of which ~246 MB is such code for six architectures plus PTX (shared/STACK.md).
 */
public final class CudaFatbins {

    static final int CONTAINER_MAGIC = 0xBA55ED50;
    static final int PTX = 1;
    static final int SASS = 2;
    static final List<String> SECTIONS = List.of(".nv_fatbin", "__nv_relfatbin");

    /** One entry of a container: where its payload lies in the file. */
    record Entry(String section, int container, int kind, int arch, long payloadOffset, long payloadSize) {

        String label() {
            return (kind == PTX ? "compute_" : "sm_") + arch;
        }
    }

    /**
     * What {@link #reduce} kept and zeroed, in bytes per entry label ({@code sm_90}, {@code compute_120}), and how many
     * containers had no code for the target at all (unusable on that GPU in the original library too).
     */
    record Reduction(int target, int containers, int containersWithoutCode, Map<String, Long> kept,
            Map<String, Long> zeroed) {

        long keptBytes() {
            return kept.values().stream().mapToLong(Long::longValue).sum();
        }

        long zeroedBytes() {
            return zeroed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private CudaFatbins() {
    }

    /** Every fatbin entry of the library; empty for a library without GPU code (XGBoost's CPU-only build). */
    static List<Entry> entries(ByteBuffer elf) {
        ByteBuffer file = elf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (file.limit() < 64 || file.getInt(0) != 0x464C457F || file.get(4) != 2 || file.get(5) != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        }
        long sectionHeaders = file.getLong(0x28);
        int headerSize = Short.toUnsignedInt(file.getShort(0x3A));
        int sectionCount = Short.toUnsignedInt(file.getShort(0x3C));
        int namesIndex = Short.toUnsignedInt(file.getShort(0x3E));
        long namesOffset = file.getLong(Math.toIntExact(sectionHeaders + (long) namesIndex * headerSize + 0x18));
        List<Entry> entries = new ArrayList<>();
        int container = 0;
        for (int i = 0; i < sectionCount; i++) {
            int header = Math.toIntExact(sectionHeaders + (long) i * headerSize);
            String name = cString(file, Math.toIntExact(namesOffset + Integer.toUnsignedLong(file.getInt(header))));
            if (SECTIONS.contains(name) && file.getInt(header + 4) != 8 /* SHT_NOBITS */) {
                container = containers(file, name, file.getLong(header + 0x18), file.getLong(header + 0x20),
                        container, entries);
            }
        }
        return entries;
    }

    /** Reads the containers of one section; containers are 8-byte aligned with zero padding between them. */
    private static int containers(ByteBuffer file, String section, long offset, long size, int firstNumber,
            List<Entry> entries) {
        int number = firstNumber;
        long position = offset;
        long end = offset + size;
        while (position + 16 <= end) {
            int at = Math.toIntExact(position);
            if (file.getLong(at) == 0) {
                position += 8;
                continue;
            }
            if (file.getInt(at) != CONTAINER_MAGIC) {
                throw new IllegalArgumentException(String.format("%s: no fatbin container at file offset %#x",
                        section, position));
            }
            long entry = position + Short.toUnsignedInt(file.getShort(at + 6));
            long containerEnd = entry + file.getLong(at + 8);
            if (containerEnd > end) {
                throw new IllegalArgumentException(section + ": a container runs past its section");
            }
            while (entry < containerEnd) {
                int e = Math.toIntExact(entry);
                int kind = Short.toUnsignedInt(file.getShort(e));
                long entryHeader = Integer.toUnsignedLong(file.getInt(e + 4));
                long payload = file.getLong(e + 8);
                int arch = file.getInt(e + 28);
                if (kind != PTX && kind != SASS || entryHeader < 32 || entry + entryHeader + payload > containerEnd) {
                    throw new IllegalArgumentException(String.format("%s: unreadable fatbin entry at file offset %#x",
                            section, entry));
                }
                entries.add(new Entry(section, number, kind, arch, entry + entryHeader, payload));
                entry += entryHeader + payload;
            }
            number++;
            position = containerEnd;
        }
        return number;
    }

    /**
     * The entries the CUDA driver can use on a GPU of compute capability {@code target} (e.g. 90 for 9.0), per
     * container: the SASS of the highest architecture of the same major not above it; failing that, the PTX of the
     * highest architecture not above it (JIT-compiled at load). A container may have nothing for the target: code
     * built only for another architecture (XGBoost 3.4.0 has kernels built for sm_100 alone), which that GPU could not
     * run from the original library either; it keeps no entry.
     *
     * @throws IllegalArgumentException when no container at all has code for that GPU
     */
    static List<Entry> usable(List<Entry> entries, int target) {
        Map<Integer, List<Entry>> byContainer = new TreeMap<>();
        entries.forEach(entry -> byContainer.computeIfAbsent(entry.container(), c -> new ArrayList<>()).add(entry));
        List<Entry> kept = new ArrayList<>();
        byContainer.forEach((container, candidates) -> {
            Entry best = best(candidates, SASS, arch -> arch / 10 == target / 10 && arch <= target);
            if (best == null) {
                best = best(candidates, PTX, arch -> arch <= target);
            }
            if (best != null) {
                kept.add(best);
            }
        });
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(String.format("no fatbin container has code for compute capability "
                    + "%d.%d; the library has %s", target / 10, target % 10,
                    entries.stream().map(Entry::label).distinct().sorted().toList()));
        }
        return kept;
    }

    private static Entry best(List<Entry> candidates, int kind, IntPredicate fits) {
        Entry best = null;
        for (Entry entry : candidates) {
            if (entry.kind() == kind && fits.test(entry.arch()) && (best == null || entry.arch() > best.arch())) {
                best = entry;
            }
        }
        return best;
    }

    /**
     * Copies {@code library} to {@code reduced} with the payload of every fatbin entry a GPU of compute capability
     * {@code target} cannot use set to zero.
     *
     * @throws IllegalArgumentException when the library has no GPU code or none for that GPU
     */
    static Reduction reduce(Path library, Path reduced, int target) throws IOException {
        Files.copy(library, reduced, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(reduced, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer file = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            List<Entry> entries = entries(file);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException(library + " has no CUDA code (no " + SECTIONS + " sections): a "
                        + "CPU-only build?");
            }
            Set<Entry> usable = new HashSet<>(usable(entries, target));
            Map<String, Long> kept = new TreeMap<>();
            Map<String, Long> zeroed = new TreeMap<>();
            byte[] zeroes = new byte[1 << 16];
            for (Entry entry : entries) {
                if (usable.contains(entry)) {
                    kept.merge(entry.label(), entry.payloadSize(), Long::sum);
                    continue;
                }
                zeroed.merge(entry.label(), entry.payloadSize(), Long::sum);
                long left = entry.payloadSize();
                int at = Math.toIntExact(entry.payloadOffset());
                while (left > 0) {
                    int chunk = (int) Math.min(left, zeroes.length);
                    file.put(at, zeroes, 0, chunk);
                    at += chunk;
                    left -= chunk;
                }
            }
            file.force();
            int containers = (int) entries.stream().mapToInt(Entry::container).distinct().count();
            int withCode = (int) usable.stream().mapToInt(Entry::container).distinct().count();
            return new Reduction(target, containers, containers - withCode, kept, zeroed);
        }
    }

    private static String cString(ByteBuffer file, int offset) {
        int end = offset;
        while (file.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        file.get(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}

package io.streamlearn.core.learn;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Java-serialized learner states that attack the reader rather than its code: memory and time. */
public final class HostileSerialization {

    private HostileSerialization() {
    }

    /** {@code long[1 << 28]} (2 GiB) as Java serialization writes it, in under 40 bytes: a {@code long[0]} patched. */
    public static byte[] hugeLongArray() {
        byte[] bytes = SafeSerialization.serialize(new long[0]);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, 1 << 28);
        return bytes;
    }

    /** Wouter Coekaerts' SerialDOS of nested {@code HashSet}s (see {@link #serialDos}). */
    public static byte[] nestedHashSets() {
        return SafeSerialization.serialize(serialDos(HashSet<Object>::new, HashSet::add));
    }

    /** The same graph of {@code HashMap}s, keys to the next level: {@code HashMap} is on the allow-list. */
    public static byte[] nestedHashMaps() {
        return SafeSerialization.serialize(serialDos(HashMap<Object, Object>::new, (map, key) -> map.put(key, 1)));
    }

    /**
     * SerialDOS (Wouter Coekaerts, 2015): 100 levels of two collections that both hold both collections of the next
     * level, so that hashing the root visits 2^100 collections, which a {@code HashSet} or {@code HashMap} does as it
     * is read. Built top down, so building it hashes nothing deep.
     */
    static <C extends Serializable> C serialDos(Supplier<C> create, BiConsumer<C, Object> add) {
        C root = create.get();
        C first = root;
        C second = create.get();
        for (int level = 0; level < 100; level++) {
            C left = create.get();
            C right = create.get();
            add.accept(left, "level");
            add.accept(first, left);
            add.accept(first, right);
            add.accept(second, left);
            add.accept(second, right);
            first = left;
            second = right;
        }
        return root;
    }
}

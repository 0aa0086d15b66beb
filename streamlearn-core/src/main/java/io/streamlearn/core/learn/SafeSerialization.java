package io.streamlearn.core.learn;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Java serialization for learner state, read back only through an allow-list: snapshots come from Kafka topics that
 * others can write to, and unfiltered deserialization of such bytes is a known remote-code-execution vector
 * (see JEP 290), and a denial-of-service one: a few bytes can declare a huge array, or a graph of nested hash sets
 * whose hashing never ends ("SerialDOS", Wouter Coekaerts, 2015). Only MOA's classes, ours, and the JDK classes the
 * snapshots of our learners hold may appear ({@value #ALLOW_LIST}, derived by {@code DeserializationAllowListTest}).
 */
public final class SafeSerialization {

    /** The allow-list's resource, beside this class: one {@code ObjectInputFilter} class pattern a line. */
    static final String ALLOW_LIST = "deserialization-allow-list.txt";

    /**
     * {@code maxdepth} bounds the object graph's nesting, not the model's size: MOA's FIMT-DD keeps an extended binary
     * search tree per numeric attribute, which degenerates into a chain as deep as the number of distinct values when a
     * feature grows monotonically (a row id, a timestamp); 200 refused such snapshots. Deeper graphs than the bound are
     * refused, and a stack overflow while reading one is turned into a refusal too. {@code maxarray} caps any one
     * array at 2^26 elements (a 64 MiB {@code byte[]}, an XGBoost booster far larger than any we train); the
     * stricter bound is {@link #fitsTheStream}.
     */
    static final String LIMITS = "maxdepth=5000;maxrefs=5000000;maxbytes=268435456;maxarray=67108864";

    /** {@code ObjectInputStream}'s largest data block (its {@code MAX_BLOCK_SIZE}) and a header. */
    static final int READ_AHEAD = 1024 + 5;

    /** Four times {@code maxrefs}: hashing every object of the largest stream allowed, four times over. */
    static final long MAX_HASH_STEPS = 20_000_000;

    static final String ALLOWED = LIMITS + ";" + readAllowList() + ";!*";

    private static final ObjectInputFilter PATTERNS = ObjectInputFilter.Config.createFilter(ALLOWED);

    private SafeSerialization() {
    }

    public static byte[] serialize(Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("state could not be serialized", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a serialized {@code type}, name a class outside the
     *                                  allow-list, break a limit, or need more memory or stack than this thread has
     */
    public static <T> T deserialize(byte[] bytes, Class<T> type) {
        try (ObjectInputStream in = new HashBoundedInput(bytes)) {
            Object value = in.readObject();
            if (!type.isInstance(value)) {
                throw new IllegalArgumentException("snapshot holds a " + value.getClass().getName() + ", not a "
                        + type.getSimpleName());
            }
            return type.cast(value);
        } catch (InvalidClassException e) {
            throw new IllegalArgumentException("snapshot rejected by the deserialization allow-list: " + e.getMessage(), e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new IllegalArgumentException("snapshot is not readable: " + e, e);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("snapshot nests too deeply to be read on this thread's stack", e);
        } catch (OutOfMemoryError e) {
            // What was read so far is garbage once this returns; the snapshot, not the process, is at fault.
            throw new IllegalArgumentException("snapshot needs more memory than this process has to be read", e);
        }
    }

    /** Whether the allow-list admits a class by name (its patterns only, not the limits). */
    static boolean allows(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, SafeSerialization.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        return PATTERNS.checkInput(new ClassOnly(type)) == ObjectInputFilter.Status.ALLOWED;
    }

    /** The limits and patterns, then {@link #fitsTheStream}, for a stream of {@code length} bytes. */
    private static ObjectInputFilter filter(long length) {
        return info -> {
            ObjectInputFilter.Status status = PATTERNS.checkInput(info);
            if (status == ObjectInputFilter.Status.REJECTED) {
                return status;
            }
            return fitsTheStream(info, length) ? status : ObjectInputFilter.Status.REJECTED;
        };
    }

    /**
     * An array is allocated at the length its header declares, before its elements are read: a 30-byte stream can ask
     * for a {@code long[1 << 28]} (2 GiB). Every element takes at least one byte of the stream (a {@code byte}, a
     * {@code TC_NULL}, a back reference), so a longer array than the bytes left cannot be genuine, and what an array
     * allocates stays within a few times the stream's size. The count of bytes read runs ahead of the array's header
     * by up to one block of block-data mode ({@link #READ_AHEAD}), so that much more is allowed.
     */
    static boolean fitsTheStream(ObjectInputFilter.FilterInfo info, long length) {
        return info.arrayLength() < 0 || info.arrayLength() <= length - info.streamBytes() + READ_AHEAD;
    }

    private static String readAllowList() {
        try (InputStream in = SafeSerialization.class.getResourceAsStream(ALLOW_LIST)) {
            if (in == null) {
                throw new IllegalStateException("the deserialization allow-list " + ALLOW_LIST + " is missing");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.joining(";"));
        } catch (IOException e) {
            throw new UncheckedIOException("the deserialization allow-list could not be read", e);
        }
    }

    /**
     * Bounds the work of hashing what is read. {@code HashMap} (which MOA's instance headers hold) hashes every key as
     * it reads it, and a collection's hash code is computed from its elements': a graph of a few hundred collections
     * that share their elements level by level (SerialDOS) takes 2^levels steps to hash, for ever in practice. Each
     * collection and map is charged, once read and before any map can hash it, the steps its hash code takes
     * (elements' charges added, a shared element once per reference, as hashing visits it); reading stops when the
     * charges of the whole stream exceed {@link #MAX_HASH_STEPS}. Unshared collections are charged about their size
     * times their nesting, so real snapshots stay far below it.
     */
    private static final class HashBoundedInput extends ObjectInputStream {

        private final Map<Object, Long> charged = new IdentityHashMap<>();
        private long steps;

        HashBoundedInput(byte[] bytes) throws IOException {
            super(new ByteArrayInputStream(bytes));
            setObjectInputFilter(filter(bytes.length));
            enableResolveObject(true);
        }

        @Override
        protected Object resolveObject(Object value) throws IOException {
            long cost = hashSteps(value);
            if (cost > 1) {
                steps = Math.min(MAX_HASH_STEPS + 1, steps + cost);
                if (steps > MAX_HASH_STEPS) {
                    throw new InvalidClassException(value.getClass().getName(), "hashing what this snapshot holds "
                            + "would take more than " + MAX_HASH_STEPS + " steps (nested shared collections)");
                }
                charged.put(value, cost);
            }
            return value;
        }

        private long hashSteps(Object value) {
            long cost = 1;
            if (value instanceof Collection<?> collection) {
                for (Object element : collection) {
                    cost = Math.min(MAX_HASH_STEPS + 1, cost + charge(element));
                }
            } else if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    cost = Math.min(MAX_HASH_STEPS + 1, cost + charge(entry.getKey()) + charge(entry.getValue()));
                }
            }
            return cost;
        }

        private long charge(Object element) {
            return element == null ? 1 : charged.getOrDefault(element, 1L);
        }
    }

    /** A filter question about a class alone. */
    private record ClassOnly(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {

        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 0;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }
}

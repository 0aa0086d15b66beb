package io.streamlearn.core.learn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Java serialization for learner state, read back only through an allow-list: snapshots come from Kafka topics that
 * others can write to, and unfiltered deserialization of such bytes is a known remote-code-execution vector
 * (see JEP 290). Only MOA's classes, its instance and option types, our own and core JDK value types may appear.
 */
public final class SafeSerialization {

    /**
     * {@code maxdepth} bounds the object graph's nesting, not the model's size: MOA's FIMT-DD keeps an extended binary
     * search tree per numeric attribute, which degenerates into a chain as deep as the number of distinct values when a
     * feature grows monotonically (a row id, a timestamp); 200 refused such snapshots. Deeper graphs than the bound are
     * refused, and a stack overflow while reading one is turned into a refusal too.
     */
    static final String ALLOWED = "maxdepth=5000;maxrefs=5000000;maxbytes=268435456;"
            + "moa.**;com.yahoo.labs.samoa.**;com.github.javacliparser.**;io.streamlearn.**;"
            + "java.lang.*;java.util.*;java.util.concurrent.*;java.util.concurrent.atomic.*;java.math.*;!*";

    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(ALLOWED);

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
     * @throws IllegalArgumentException when the bytes are not a serialized {@code type} or name a class outside the
     *                                  allow-list
     */
    public static <T> T deserialize(byte[] bytes, Class<T> type) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(FILTER);
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
        }
    }
}

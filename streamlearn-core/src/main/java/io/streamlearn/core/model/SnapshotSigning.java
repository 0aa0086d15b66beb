package io.streamlearn.core.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates encoded snapshots with HMAC-SHA256 (RFC 2104), so that a reader holding the key serves only versions
 * written by a holder of the key. The {@code models} topic is writable by anyone with produce rights on it, and a
 * snapshot's learner state is Java-serialized: the deserialization allow-list ({@code SafeSerialization}) stops
 * gadget chains, this stops a forged or tampered model that uses only allowed classes.
 *
 * <p>A signed record is the magic {@code SLS1}, the 32-byte tag, then the {@link ModelSnapshotCodec} bytes it covers,
 * unchanged; {@link ModelSnapshotCodec} reads both forms, so a reader that only looks (the demo's watcher) needs no
 * key. Every service that writes or acts on model bytes (the trainer, the retrainer, the servers, the drift monitor)
 * takes {@value #KEY}: with a key, {@link #verify} refuses unsigned and wrongly signed records; without one it
 * accepts both, as before signing existed.
 */
public final class SnapshotSigning {

    /** The configuration key of the shared secret, the same for every service that writes or reads model bytes. */
    public static final String KEY = "snapshot.signing.key";
    /** At least the hash's output size, as RFC 2104 section 3 recommends. */
    public static final int MIN_KEY_BYTES = 32;
    static final byte[] MAGIC = "SLS1".getBytes(StandardCharsets.US_ASCII);
    static final int TAG_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final SnapshotSigning NONE = new SnapshotSigning(null);
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSigning.class);
    /** One warning a process, however many of its services start unsigned (the demo, {@code train}). */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final SecretKeySpec key;

    private SnapshotSigning(SecretKeySpec key) {
        this.key = key;
    }

    /** Neither signs nor requires signatures. */
    public static SnapshotSigning none() {
        return NONE;
    }

    /**
     * @param secret the shared key as configured, {@code null} or empty for {@link #none()}
     * @throws IllegalArgumentException when the key is shorter than {@value #MIN_KEY_BYTES} bytes in UTF-8; the
     *                                  message never contains the key
     */
    public static SnapshotSigning of(String secret) {
        if (secret == null || secret.isEmpty()) {
            return NONE;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the snapshot signing key must be at least " + MIN_KEY_BYTES
                    + " bytes long, got " + bytes.length);
        }
        return new SnapshotSigning(new SecretKeySpec(bytes, ALGORITHM));
    }

    public boolean enabled() {
        return key != null;
    }

    /**
     * Warns, once a process, that a service starts without a key: it then writes unsigned snapshots and reads any, so
     * whoever can produce to {@code models} chooses what is served and trained on.
     *
     * @param service the service starting, for the log ({@code "prediction server"})
     * @return whether this call logged the warning
     */
    public boolean warnIfDisabled(String service) {
        if (key != null || !WARNED.compareAndSet(false, true)) {
            return false;
        }
        LOG.warn("SNAPSHOT SIGNING IS OFF: the {} starts without snapshot.signing.key, so model snapshots are written "
                + "unsigned and read without checking who wrote them: anyone who can produce to the models topic chooses "
                + "the models served and trained on. Set the same key (at least {} bytes, from a Secret) on the trainer, "
                + "the retrainer, the drift monitor and every server (docs/reliability.md, Snapshot authentication).",
                service, MIN_KEY_BYTES);
        return true;
    }

    /** The signed form of an encoded snapshot; the bytes themselves without a key. */
    public byte[] sign(byte[] encoded) {
        if (key == null) {
            return encoded;
        }
        byte[] signed = new byte[MAGIC.length + TAG_BYTES + encoded.length];
        System.arraycopy(MAGIC, 0, signed, 0, MAGIC.length);
        System.arraycopy(tag(encoded, 0, encoded.length), 0, signed, MAGIC.length, TAG_BYTES);
        System.arraycopy(encoded, 0, signed, MAGIC.length + TAG_BYTES, encoded.length);
        return signed;
    }

    /**
     * @return the {@link ModelSnapshotCodec} bytes of a record this reader accepts
     * @throws SecurityException when a key is configured and the record is unsigned or its tag does not match
     */
    public byte[] verify(byte[] record) {
        boolean signed = isSigned(record);
        if (key == null) {
            return signed ? unwrap(record) : record;
        }
        if (!signed) {
            throw new SecurityException("snapshot is not signed and a signing key is configured");
        }
        byte[] expected = tag(record, MAGIC.length + TAG_BYTES, record.length - MAGIC.length - TAG_BYTES);
        byte[] actual = Arrays.copyOfRange(record, MAGIC.length, MAGIC.length + TAG_BYTES);
        // Constant time, so the comparison leaks nothing about how much of a forged tag was right.
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new SecurityException("snapshot signature does not match (tampered, or signed with another key)");
        }
        return unwrap(record);
    }

    static boolean isSigned(byte[] record) {
        return record != null && record.length >= MAGIC.length + TAG_BYTES
                && Arrays.equals(record, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The covered bytes of a signed record, without checking the tag. */
    static byte[] unwrap(byte[] record) {
        return Arrays.copyOfRange(record, MAGIC.length + TAG_BYTES, record.length);
    }

    private byte[] tag(byte[] bytes, int offset, int length) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(bytes, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return key == null ? "SnapshotSigning[none]" : "SnapshotSigning[HMAC-SHA256]";
    }
}

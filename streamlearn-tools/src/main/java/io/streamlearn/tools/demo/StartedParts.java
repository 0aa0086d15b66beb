package io.streamlearn.tools.demo;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a run has started, closed the last first (a server before the parts it reads, the broker last), each even
 * when one before it failed to close.
 */
final class StartedParts implements AutoCloseable {

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    /** Notes {@code part} as started; returns it. */
    <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    /**
     * After a start that failed with {@code cause}: closes what did start, so that nothing keeps running in the
     * caller's JVM, and adds any failure to close to {@code cause}.
     */
    void closeAfter(Exception cause) {
        Exception closing = closeAll();
        if (closing != null) {
            cause.addSuppressed(closing);
        }
    }

    /** @throws IOException the first failure to close, with any later ones suppressed in it */
    @Override
    public void close() throws IOException {
        Exception failure = closeAll();
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IOException(failure);
        }
    }

    private Exception closeAll() {
        Exception failure = null;
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}

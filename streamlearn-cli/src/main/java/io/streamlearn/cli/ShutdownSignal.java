package io.streamlearn.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a command until Ctrl-C (SIGINT/SIGTERM), then holds the JVM's shutdown until the command has closed its
 * resources, so brokers, stream threads and servers stop cleanly instead of being cut off mid-close.
 */
public final class ShutdownSignal implements AutoCloseable {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public ShutdownSignal() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requested.countDown();
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "streamlearn-shutdown"));
    }

    public void await() throws InterruptedException {
        requested.await();
    }

    /** Whether Ctrl-C came within {@code timeout}. */
    public boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the JVM finish exiting; call after everything is closed. */
    @Override
    public void close() {
        released.countDown();
    }
}

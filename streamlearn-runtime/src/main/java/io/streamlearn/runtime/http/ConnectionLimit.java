package io.streamlearn.runtime.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most a given number of open HTTP connections over every server of a process: Vert.x has no such option, so each
 * server's connection handler counts them here and closes a connection beyond the limit as soon as it is handed over,
 * so that it holds no file descriptor, buffers or handler work for long. Refusals are counted ({@value #REFUSED});
 * the open count is a gauge ({@value #OPEN}). Vert.x hands an HTTP/1.1 connection to the connection handler with the
 * head of its first request, so a connection that never completes one is not counted here: the idle timeout
 * ({@link HttpServerSettings#idleTimeoutMs()}) closes it instead.
 */
public final class ConnectionLimit implements MeterBinder {

    public static final String OPEN = "streamlearn.serve.connections.open";
    public static final String REFUSED = "streamlearn.serve.connections.refused";

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    public ConnectionLimit(int max) {
        this.max = max;
    }

    /** A server's connection handler: runs on the connection's event loop, and only counts. */
    public void admit(HttpConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.incrementAndGet();
            connection.close();
            return;
        }
        connection.closeHandler(closed -> open.decrementAndGet());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(OPEN, open, AtomicInteger::get).description("HTTP connections open now").register(registry);
        // Read where the count is kept, so that a refusal costs no registry lookup.
        FunctionCounter.builder(REFUSED, refused, AtomicLong::get)
                .description("HTTP connections closed on arrival because the connection limit was reached")
                .register(registry);
    }
}

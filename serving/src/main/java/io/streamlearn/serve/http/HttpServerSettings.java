package io.streamlearn.serve.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the HTTP server treats connections, chosen rather than left to Vert.x's defaults: an idle connection is closed
 * after {@code idleTimeoutMs} (Vert.x's default never closes one, so a client that opens connections and goes quiet
 * holds them forever); a request line or header block over its limit is answered 414/431 by Vert.x before any
 * handler runs; at most {@code maxConnections} connections are open at once ({@link ConnectionLimit}); and with a
 * certificate and key (PEM files) the server speaks HTTPS only.
 *
 * @param idleTimeoutMs        a connection with nothing read or written for this long is closed
 * @param maxHeaderBytes       the largest header block a request may have
 * @param maxInitialLineLength the longest request line (method, target, version)
 * @param maxConnections       connections beyond this are closed as soon as Vert.x hands them over
 * @param tlsCertPath          the server's certificate chain, PEM; {@code null} serves plain HTTP
 * @param tlsKeyPath           its private key, PEM (PKCS#8 or PKCS#1); set together with {@code tlsCertPath}
 */
public record HttpServerSettings(long idleTimeoutMs, int maxHeaderBytes, int maxInitialLineLength,
        int maxConnections, String tlsCertPath, String tlsKeyPath) {

    /**
     * Longer than the 60 s idle timeout of common load balancers (AWS ALB, GCP), so that the balancer, not the
     * server, closes an idle keep-alive connection and never sends a request on one the server is closing.
     */
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 120_000;
    /** Vert.x's own defaults (HttpServerOptions), now stated: 8 KiB of headers, a 4 KiB request line. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 4 * 1024;
    /** Well under a container's usual 64 Ki file descriptors, well over what a replica serves (wrk's 256 included). */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public static HttpServerSettings defaults() {
        return new HttpServerSettings(DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_HEADER_BYTES,
                DEFAULT_MAX_INITIAL_LINE_LENGTH, DEFAULT_MAX_CONNECTIONS, null, null);
    }

    public boolean tls() {
        return tlsCertPath != null;
    }

    /** The Vert.x options these settings stand for. */
    public HttpServerOptions options() {
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeoutMs))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxInitialLineLength(maxInitialLineLength);
        if (tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCertPath)
                    .setKeyPath(tlsKeyPath));
        }
        return options;
    }

    /**
     * Adds a problem per key at fault to {@code problems}.
     *
     * @param keys the configuration keys of idle timeout, header bytes, initial line, connections, cert and key, in
     *             that order, for the messages
     */
    public void validate(List<String> keys, List<String> problems) {
        if (idleTimeoutMs < 1) {
            problems.add(keys.get(0) + " must be positive, got " + idleTimeoutMs);
        }
        if (maxHeaderBytes < 1) {
            problems.add(keys.get(1) + " must be positive, got " + maxHeaderBytes);
        }
        if (maxInitialLineLength < 1) {
            problems.add(keys.get(2) + " must be positive, got " + maxInitialLineLength);
        }
        if (maxConnections < 1) {
            problems.add(keys.get(3) + " must be positive, got " + maxConnections);
        }
        if ((tlsCertPath == null) != (tlsKeyPath == null)) {
            problems.add(keys.get(4) + " and " + keys.get(5) + " must be set together (PEM files), or neither");
        }
        for (int i = 0; i < 2; i++) {
            String path = i == 0 ? tlsCertPath : tlsKeyPath;
            if (path != null && !Files.isReadable(Path.of(path))) {
                problems.add(keys.get(4 + i) + " names no readable file: " + path);
            }
        }
    }

    public HttpServerSettings withIdleTimeoutMs(long millis) {
        return new HttpServerSettings(millis, maxHeaderBytes, maxInitialLineLength, maxConnections, tlsCertPath,
                tlsKeyPath);
    }

    public HttpServerSettings withMaxConnections(int connections) {
        return new HttpServerSettings(idleTimeoutMs, maxHeaderBytes, maxInitialLineLength, connections, tlsCertPath,
                tlsKeyPath);
    }

    /** @param certPath {@code null} (with {@code keyPath}) serves plain HTTP */
    public HttpServerSettings withTls(String certPath, String keyPath) {
        return new HttpServerSettings(idleTimeoutMs, maxHeaderBytes, maxInitialLineLength, maxConnections, certPath,
                keyPath);
    }
}

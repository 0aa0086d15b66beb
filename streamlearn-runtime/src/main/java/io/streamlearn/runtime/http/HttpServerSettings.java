package io.streamlearn.runtime.http;

import io.streamlearn.core.config.ConfigValues;
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

    public static final String IDLE_TIMEOUT_MS = "http.idle-timeout-ms";
    public static final String MAX_HEADER_BYTES = "http.max-header-bytes";
    public static final String MAX_INITIAL_LINE_LENGTH = "http.max-initial-line-length";
    public static final String MAX_CONNECTIONS = "http.max-connections";
    public static final String TLS_CERT_PATH = "http.tls.cert-path";
    public static final String TLS_KEY_PATH = "http.tls.key-path";

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

    /** Reads its keys ({@value #IDLE_TIMEOUT_MS} ... {@value #TLS_KEY_PATH}); absent ones keep their defaults. */
    public static HttpServerSettings read(ConfigValues values) {
        return new HttpServerSettings(values.getLong(IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS),
                values.getInt(MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_BYTES),
                values.getInt(MAX_INITIAL_LINE_LENGTH, DEFAULT_MAX_INITIAL_LINE_LENGTH),
                values.getInt(MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS),
                values.get(TLS_CERT_PATH, null), values.get(TLS_KEY_PATH, null));
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

    /** Adds a problem per key at fault to {@code problems}, naming the key. */
    public void validate(List<String> problems) {
        positive(IDLE_TIMEOUT_MS, idleTimeoutMs, problems);
        positive(MAX_HEADER_BYTES, maxHeaderBytes, problems);
        positive(MAX_INITIAL_LINE_LENGTH, maxInitialLineLength, problems);
        positive(MAX_CONNECTIONS, maxConnections, problems);
        if ((tlsCertPath == null) != (tlsKeyPath == null)) {
            problems.add(TLS_CERT_PATH + " and " + TLS_KEY_PATH + " must be set together (PEM files), or neither");
        }
        readable(TLS_CERT_PATH, tlsCertPath, problems);
        readable(TLS_KEY_PATH, tlsKeyPath, problems);
    }

    private static void positive(String key, long value, List<String> problems) {
        if (value < 1) {
            problems.add(key + " must be positive, got " + value);
        }
    }

    private static void readable(String key, String path, List<String> problems) {
        if (path != null && !Files.isReadable(Path.of(path))) {
            problems.add(key + " names no readable file: " + path);
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

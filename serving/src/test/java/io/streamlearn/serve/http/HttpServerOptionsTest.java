package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.runtime.http.ConnectionLimit;
import io.streamlearn.runtime.http.HttpServerSettings;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.RawHttp;
import io.streamlearn.serve.fixtures.RawHttp.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's connection settings on a real server: TLS from PEM files, the connection limit, the idle timeout
 * and the request line and header limits ({@link HttpServerSettings}).
 */
class HttpServerOptionsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private PrometheusMeterRegistry registry;
    private PredictionServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        server.close();
    }

    @Test
    void servesHttpsWithTheConfiguredCertificateAndNothingInPlainText() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        opened.add(certificate::delete);
        serve(HttpServerSettings.defaults().withTls(certificate.certificatePath(), certificate.privateKeyPath()));

        HttpsURLConnection https = (HttpsURLConnection) URI.create("https://127.0.0.1:" + server.port()
                + "/v1/models/linear/predict").toURL().openConnection();
        https.setSSLSocketFactory(trusting(Path.of(certificate.certificatePath())).getSocketFactory());
        // The test certificate names localhost; the server is reached by address.
        https.setHostnameVerifier((host, session) -> host.equals("127.0.0.1"));
        https.setRequestMethod("POST");
        https.setRequestProperty("Content-Type", "application/json");
        https.setDoOutput(true);
        try (OutputStream body = https.getOutputStream()) {
            body.write("{\"features\": {\"x\": 0.5}}".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(https.getResponseCode()).isEqualTo(HttpURLConnection.HTTP_OK);
        try (InputStream answer = https.getInputStream()) {
            assertThat(new String(answer.readAllBytes(), StandardCharsets.UTF_8)).contains("\"prediction\"");
        }
        Throwable plain = catchThrowable(() -> assertThat(new RawHttp(server.port())
                .send("GET", "/health/live", null, null).status()).isEqualTo(-1));
        // Either no HTTP answer at all, or the connection reset by the TLS handshake's failure.
        assertThat(plain == null || plain.getCause() instanceof IOException).as(String.valueOf(plain)).isTrue();
    }

    @Test
    void closesConnectionsBeyondTheLimitAndAdmitsNewOnesOnceOthersClose() throws Exception {
        serve(HttpServerSettings.defaults().withMaxConnections(2));
        RawHttp http = new RawHttp(server.port());
        Socket first = keptAlive();
        Socket second = keptAlive();
        await().atMost(PATIENCE).until(() -> registry.get(ConnectionLimit.OPEN).gauge().value() == 2);

        Throwable refused = catchThrowable(() -> assertThat(http.send("GET", "/health/live", null, null).status())
                .isEqualTo(-1));

        assertThat(refused == null || refused.getCause() instanceof IOException).as(String.valueOf(refused)).isTrue();
        assertThat(registry.get(ConnectionLimit.REFUSED).functionCounter().count()).isGreaterThanOrEqualTo(1);
        first.close();
        second.close();
        await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> http.send("GET", "/health/live", null, null).status() == 200);
    }

    @Test
    void closesAConnectionThatStaysIdle() throws Exception {
        serve(HttpServerSettings.defaults().withIdleTimeoutMs(200));
        Socket idle = idleConnection();
        idle.setSoTimeout((int) PATIENCE.toMillis());

        // read() blocks until the server closes the connection (-1), or fails after PATIENCE if it never does.
        assertThat(idle.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void answersOverlongRequestLinesAndHeaderBlocksBeforeAnyHandler() {
        serve(new HttpServerSettings(HttpServerSettings.DEFAULT_IDLE_TIMEOUT_MS, 1024, 256,
                HttpServerSettings.DEFAULT_MAX_CONNECTIONS, null, null));
        RawHttp http = new RawHttp(server.port());

        Reply longLine = http.send("GET", "/v1/models/" + "a".repeat(300), null, null);
        Reply bigHeaders = http.send("GET", "/health/live", "application/json", null,
                java.util.Map.of("X-Padding", "p".repeat(2000)));

        assertThat(longLine.status()).as(longLine.head()).isEqualTo(414);
        assertThat(bigHeaders.status()).as(bigHeaders.head()).isEqualTo(431);
        assertThat(http.send("GET", "/health/live", null, null).status()).isEqualTo(200);
    }

    private void serve(HttpServerSettings settings) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withHttpEventLoops(2).withHttpServer(settings), new ModelRegistry(), registry);
        server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(TestModels.linearSchema(),
                TestModels.linearLearner(), 1), "test");
    }

    /**
     * A connection that carried one request and stays open (HTTP/1.1 keep-alive). Vert.x hands a connection to the
     * server's connection handler with its first request's head, so the limit counts connections from there.
     */
    private Socket keptAlive() throws IOException {
        Socket socket = idleConnection();
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] status = socket.getInputStream().readNBytes("HTTP/1.1 200".length());
        assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return socket;
    }

    /** A connection that sends nothing. */
    private Socket idleConnection() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        opened.add(socket);
        return socket;
    }

    /** A client context that trusts only the given certificate. */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}

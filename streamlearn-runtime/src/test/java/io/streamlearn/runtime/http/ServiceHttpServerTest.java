package io.streamlearn.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.PartFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shell a standalone service answers with: its routes, health, metrics and JSON errors, on a real port. */
class ServiceHttpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PartFailure worker = new PartFailure("worker", "it starts over");
    private final AtomicBoolean ready = new AtomicBoolean();
    private ServiceHttpServer server;

    @BeforeEach
    void start() {
        server = ServiceHttpServer.start("test service", 0, (vertx, router) -> {
            router.get("/hello").handler(context -> context.response().end("hello"));
            router.get("/broken").handler(context -> {
                throw new IllegalStateException("handler bug in io.streamlearn.Secret");
            });
            router.get("/refused").handler(context -> context.fail(400));
        }, registry, Liveness.of(worker), ready::get);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void answersTheServicesRoutesAndJsonErrorsForUnknownAndFailingOnes() throws Exception {
        assertThat(get("/hello").body()).isEqualTo("hello");

        HttpResponse<String> unknown = get("/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");

        HttpResponse<String> broken = get("/broken");
        assertThat(broken.statusCode()).isEqualTo(500);
        JsonNode error = JSON.readTree(broken.body());
        assertThat(error.get("error").asText()).isEqualTo("internal_error");
        assertThat(broken.body()).as("no internal message reaches the client").doesNotContain("handler bug")
                .doesNotContain("io.streamlearn");

        // The same codes as the prediction server's: one error body and one code set for every service.
        HttpResponse<String> refused = get("/refused");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void readyWhenTheServiceSaysSoAndNotLiveOnceAPartFailed() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(notReady.body()).get("reason").asText())
                .isEqualTo("the test service is not processing yet");
        ready.set(true);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);

        worker.record("the worker stopped", new IllegalStateException("boom"));

        HttpResponse<String> dead = get("/health/live");
        assertThat(dead.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(dead.body()).get("reason").asText()).contains("the worker stopped");
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/metrics").body()).contains("streamlearn_service_alive{part=\"worker\"} 0.0",
                "streamlearn_service_failures_total{part=\"worker\"} 1.0");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

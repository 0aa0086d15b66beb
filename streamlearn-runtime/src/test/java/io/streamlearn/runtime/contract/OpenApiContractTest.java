package io.streamlearn.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.http.OpenApiDocument;
import io.streamlearn.runtime.http.RouteExtension;
import io.streamlearn.runtime.http.ServiceHttpServer;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checker the services' contract tests use fails on each way a server can drift from its document. */
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ServiceHttpServer server;

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void aServerThatAnswersAsDocumentedPasses() throws Exception {
        server = start(false);
        OpenApiContract api = OpenApiContract.of(server.port());

        api.assertDescribesExactly(server.routes());
        assertThat(api.call("GET", "/v1/greetings/{who}", "/v1/greetings/ada", null).statusCode()).isEqualTo(200);
        assertThat(api.call("GET", "/v1/greetings/{who}", "/v1/greetings/nobody", null).statusCode()).isEqualTo(404);
        api.call("GET", "/openapi.json", "/openapi.json", null);
        api.call("GET", "/health/live", "/health/live", null);
        api.call("GET", "/health/ready", "/health/ready", null);
        api.call("GET", "/metrics", "/metrics", null);
        assertThatThrownBy(api::assertEverySuccessAnswered).as("GET /v1/wrong was never called")
                .isInstanceOf(AssertionError.class).hasMessageContaining("GET /v1/wrong 200");
    }

    @Test
    void aRouteTheDocumentDoesNotNameFails() throws Exception {
        server = start(true);

        assertThatThrownBy(() -> OpenApiContract.of(server.port()).assertDescribesExactly(server.routes()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("POST /v1/greetings/{who}");
    }

    @Test
    void aBodyOfAnotherShapeThanDocumentedFails() throws Exception {
        server = start(false);

        assertThatThrownBy(() -> OpenApiContract.of(server.port()).call("GET", "/v1/wrong", "/v1/wrong", null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not match its documented schema");
    }

    @Test
    void anUndocumentedStatusFails() throws Exception {
        server = start(false);

        assertThatThrownBy(() -> OpenApiContract.of(server.port()).call("GET", "/v1/greetings/{who}",
                "/v1/greetings/teapot", null)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("an undocumented status");
    }

    @Test
    void anExtensionsPathsAndSchemasJoinTheHostsDocument() throws Exception {
        OpenApiDocument merged = OpenApiDocument.load("openapi/greeter.json")
                .with(List.of(OpenApiDocument.load("openapi/farewell.json")));
        server = ServiceHttpServer.start("greeter", 0, RouteExtension.documented(merged, (vertx, router) -> { }),
                registry, Liveness.none(), () -> true);

        JsonNode document = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + server.port() + OpenApiDocument.PATH)).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(document.get("paths").fieldNames()).toIterable().contains("/v1/greetings/{who}", "/v1/farewells");
        assertThat(document.at("/paths/~1metrics/get/responses/200/description").asText()).isEqualTo("meters");
        assertThat(document.at("/components/schemas").fieldNames()).toIterable().contains("Greeting", "Farewell");
    }

    private ServiceHttpServer start(boolean undocumentedRoute) {
        RouteExtension routes = (vertx, router) -> {
            router.get("/v1/greetings/:who").handler(this::greet);
            router.get("/v1/wrong").handler(context -> context.json(Map.of("greeting", 5)));
            if (undocumentedRoute) {
                router.post("/v1/greetings/:who").handler(this::greet);
            }
        };
        return ServiceHttpServer.start("greeter", 0,
                RouteExtension.documented(OpenApiDocument.load("openapi/greeter.json"), routes), registry,
                Liveness.none(), () -> true);
    }

    private void greet(RoutingContext context) {
        switch (context.pathParam("who")) {
            case "nobody" -> ServiceHttpServer.error(context, 404, "not_found", "nobody to greet");
            case "teapot" -> ServiceHttpServer.error(context, 418, "teapot", "undocumented");
            default -> context.json(Map.of("greeting", "hello " + context.pathParam("who")));
        }
    }
}

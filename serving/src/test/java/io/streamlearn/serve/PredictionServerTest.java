package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.runtime.http.RouteExtension;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.RawHttp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PredictionServerTest {

    private static final ServingConfig LOCAL = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0);

    @Test
    void followingAnUnreachableClusterIsLiveButNotReadyAndClosesPromptly() {
        ServingConfig config = LOCAL.withBootstrapServers("127.0.0.1:1");

        try (PredictionServer server = PredictionServer.start(config, registry())) {
            HttpJson http = new HttpJson(server.port());

            assertThat(server.port()).isPositive();
            assertThat(http.get("/health/live").status()).isEqualTo(200);
            Reply ready = http.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().get("reason").asText()).isEqualTo("no model is loaded yet");
        }
    }

    @Test
    void invalidConfigurationFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> PredictionServer.start(LOCAL.withMaxBatchInstances(0), new ModelRegistry(),
                registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.max-batch-instances must be positive");
    }

    @Test
    void portInUseFailsWithTheAddress() {
        try (PredictionServer first = PredictionServer.start(LOCAL, new ModelRegistry(), registry())) {
            ServingConfig taken = LOCAL.withHttpPort(first.port());

            assertThatThrownBy(() -> PredictionServer.start(taken, new ModelRegistry(), registry()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not listen on 127.0.0.1:" + first.port());
        }
    }

    /**
     * Each of the configured event loops runs its own server on the shared port; new connections go to them in turn,
     * so consecutive connections are answered on different event-loop threads.
     */
    @Test
    void connectionsAreSpreadOverTheConfiguredEventLoops() {
        RouteExtension thread = (vertx, router) -> router.get("/test/thread").handler(context -> context.response()
                .end(Thread.currentThread().getName()));
        try (PredictionServer server = PredictionServer.start(LOCAL.withHttpEventLoops(3), new ModelRegistry(),
                registry(), List.of(thread))) {
            RawHttp http = new RawHttp(server.port());
            Set<String> threads = new HashSet<>();
            for (int connection = 0; connection < 9; connection++) {
                RawHttp.Reply reply = http.send("GET", "/test/thread", null, new byte[0]);
                assertThat(reply.status()).isEqualTo(200);
                threads.add(reply.body());
            }
            assertThat(threads).hasSize(3).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
        }
        try (PredictionServer server = PredictionServer.start(LOCAL.withHttpEventLoops(1), new ModelRegistry(),
                registry(), List.of(thread))) {
            RawHttp http = new RawHttp(server.port());
            Set<String> threads = new HashSet<>();
            for (int connection = 0; connection < 4; connection++) {
                threads.add(http.send("GET", "/test/thread", null, new byte[0]).body());
            }
            assertThat(threads).hasSize(1);
        }
    }

    private static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}

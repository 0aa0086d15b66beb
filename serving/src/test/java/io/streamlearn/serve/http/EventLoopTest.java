package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.SnapshotLoader.Outcome;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The event loop is never blocked: the server's own load (every kind of route, batches at the configured maximum,
 * snapshots swapped in meanwhile) runs under Vert.x's blocked-thread checker at a strict setting, a check every
 * 100 ms and a warning for any event-loop task over 250 ms (Vert.x's defaults: 1 s and 2 s), and not one warning may
 * be logged.
 */
class EventLoopTest {

    private static final long CHECK_INTERVAL_MS = 100;
    private static final long MAX_EXECUTE_TIME_MS = 250;
    private static final int CLIENTS = 4;

    private final Logger checkerLog = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeEach
    void captureTheCheckersWarnings() {
        warnings.start();
        checkerLog.addAppender(warnings);
    }

    @AfterEach
    void stopCapturing() {
        checkerLog.detachAppender(warnings);
    }

    @Test
    void serverLoadWithSwapsNeverBlocksAnEventLoop() throws Exception {
        FeatureSchema schema = TestModels.electricity().schema();
        List<OnlineLearner> learners = List.of(TestModels.electricityLearner(100),
                TestModels.electricityLearner(TestModels.TRAINING_ROWS));
        ServingConfig config = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withBlockedThreadCheck(CHECK_INTERVAL_MS, MAX_EXECUTE_TIME_MS);
        try (PredictionServer server = PredictionServer.start(config, new ModelRegistry(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(schema, learners.get(0), 1),
                    "test");
            HttpJson http = new HttpJson(server.port());
            // One round of every route first: the JIT's first compilations are not what this test is about, and on a
            // machine shared with other builds a cold request can exceed the strict limit by wall time alone.
            requestEveryRouteWhile(http, new AtomicBoolean(false), new AtomicInteger());
            int afterWarmUp = warnings.list.size();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> load = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    load.add(clients.submit(() -> requestEveryRouteWhile(http, running, answered)));
                }
                for (int version = 2; version <= 20; version++) {
                    int before = answered.get();
                    await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(2)).until(() -> answered.get() >= before + 2 * CLIENTS);
                    assertThat(server.snapshots().load(TestModels.ELECTRICITY,
                            TestModels.encodedSnapshot(schema, learners.get(version % 2), version), "test"))
                            .isEqualTo(Outcome.LOADED);
                }
                running.set(false);
                for (Future<?> client : load) {
                    client.get();
                }
            } finally {
                clients.shutdown();
            }
            List<ILoggingEvent> logged = List.copyOf(warnings.list);
            assertThat(logged.subList(afterWarmUp, logged.size())).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        }
    }

    /** Without this, an empty capture above could mean the warnings go elsewhere. */
    @Test
    void aBlockedEventLoopIsCaughtByTheCapture() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(CHECK_INTERVAL_MS)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(MAX_EXECUTE_TIME_MS)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        try {
            vertx.runOnContext(ignored -> blockFor(Duration.ofMillis(10 * MAX_EXECUTE_TIME_MS)));

            await().atMost(Duration.ofSeconds(30)).until(() -> !warnings.list.isEmpty());
            assertThat(warnings.list.get(0).getFormattedMessage()).contains("has been blocked");
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static void requestEveryRouteWhile(HttpJson http, AtomicBoolean running, AtomicInteger answered) {
        List<LabeledRow> rows = TestModels.unseenRows(ServingConfig.DEFAULT_MAX_BATCH_INSTANCES);
        ObjectNode single = TestModels.JSON.createObjectNode();
        single.set("features", TestModels.features(rows.get(0)));
        ObjectNode batch = TestModels.JSON.createObjectNode();
        ArrayNode instances = batch.putArray("instances");
        rows.forEach(row -> instances.add(TestModels.features(row)));
        List<String> paths = List.of("/v1/models", "/v1/models/electricity", "/v2/models/electricity",
                "/v2/health/ready", "/health/ready", "/metrics");
        do {
            expect(http.post("/v1/models/electricity/predict", single), 200);
            expect(http.post("/v1/models/electricity/predict", batch), 200);
            expect(http.post("/v1/models/electricity/predict", "{\"features\": {\"day\": \"8\"}}"), 400);
            expect(http.post("/v1/models/nope/predict", single), 404);
            for (String path : paths) {
                expect(http.get(path), 200);
            }
            answered.incrementAndGet();
        } while (running.get());
    }

    private static void expect(Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    }

    /** Deliberately blocks the calling event loop; the busy wait keeps the thread runnable, as a slow task would. */
    private static void blockFor(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}

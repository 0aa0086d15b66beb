package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshots loaded while the server runs, as the model follower loads them. */
class ModelSwapTest {

    private static FeatureSchema schema;
    private static OnlineLearner early;
    private static OnlineLearner later;

    private PredictionServer server;
    private HttpJson http;

    @BeforeAll
    static void trainTwoVersions() {
        schema = TestModels.electricity().schema();
        early = TestModels.electricityLearner(100);
        later = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
    }

    @BeforeEach
    void serveTheEarlyVersion() {
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0),
                new ModelRegistry(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        load(early, 1);
        http = new HttpJson(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void newerSnapshotIsServedByTheNextRequest() {
        assertThat(load(later, 2)).isEqualTo(Outcome.LOADED);

        LabeledRow row = TestModels.unseenRows(1).get(0);
        JsonNode body = http.post("/v1/models/electricity/predict", request(row)).json();
        assertThat(body.get("version").asLong()).isEqualTo(2);
        assertThat(body.get("scores").get("UP").asDouble())
                .isEqualTo(later.predict(TestModels.encode(schema, row)).scores()[0]);
        assertThat(http.get("/v1/models/electricity").json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void olderSnapshotIsNotServed() {
        load(later, 5);

        assertThat(load(early, 4)).isEqualTo(Outcome.SKIPPED);

        assertThat(http.get("/v1/models").json().get("models").get(0).get("version").asLong()).isEqualTo(5);
    }

    @Test
    void corruptSnapshotIsRejectedWhileServingGoesOn() {
        byte[] corrupt = TestModels.encodedSnapshot(schema, later, 2);
        corrupt[corrupt.length - 20] ^= 0x5a;

        assertThat(load(corrupt)).isEqualTo(Outcome.REJECTED);
        assertThat(load("garbage".getBytes())).isEqualTo(Outcome.REJECTED);

        Reply reply = http.post("/v1/models/electricity/predict", request(TestModels.unseenRows(1).get(0)));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("version").asLong()).isEqualTo(1);
        assertThat(server.snapshots().rejectedCount()).isEqualTo(2);
        assertThat(http.get("/metrics").body()).contains("streamlearn_serve_snapshots_rejected_total 2.0");
    }

    @Test
    void concurrentClientsSeeNoFailedRequestWhileVersionsAreSwapped() throws Exception {
        List<byte[]> versions = new ArrayList<>();
        for (int version = 2; version <= 30; version++) {
            versions.add(TestModels.encodedSnapshot(schema, version % 2 == 0 ? later : early, version));
        }
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> seen = new ArrayList<>();
            for (int client = 0; client < 4; client++) {
                seen.add(clients.submit(() -> predictWhile(swapping, answered)));
            }
            for (byte[] version : versions) {
                // Requests are answered between every two swaps, so clients do run into each swap.
                int before = answered.get();
                await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                        .until(() -> answered.get() >= before + 8);
                assertThat(load(version)).isEqualTo(Outcome.LOADED);
            }
            swapping.set(false);
            for (Future<List<Long>> versionsSeen : seen) {
                assertThat(versionsSeen.get()).isSorted().allMatch(v -> v >= 1 && v <= 30);
                assertThat(versionsSeen.get().stream().distinct().count()).isGreaterThan(1);
            }
        } finally {
            clients.shutdown();
        }
        assertThat(server.models().find(TestModels.ELECTRICITY).orElseThrow().version()).isEqualTo(30);
    }

    /** Predicts until told to stop, failing on any non-200 answer; returns the versions that answered, in order. */
    private List<Long> predictWhile(AtomicBoolean swapping, AtomicInteger answered) {
        List<Long> versions = new ArrayList<>();
        List<LabeledRow> rows = TestModels.unseenRows(10);
        do {
            for (LabeledRow row : rows) {
                Reply reply = http.post("/v1/models/electricity/predict", request(row));
                assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                versions.add(reply.json().get("version").asLong());
                answered.incrementAndGet();
            }
        } while (swapping.get());
        return versions;
    }

    private Outcome load(OnlineLearner learner, long version) {
        return load(TestModels.encodedSnapshot(schema, learner, version));
    }

    private Outcome load(byte[] snapshot) {
        return server.snapshots().load(TestModels.ELECTRICITY, snapshot, "test");
    }

    private static ObjectNode request(LabeledRow row) {
        ObjectNode body = TestModels.JSON.createObjectNode();
        body.set("features", TestModels.features(row));
        return body;
    }
}

package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.GatedExplainer;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code explainAll} held a batch model's lock for a whole batch of SHAP computations, while predictions on
 * the event loop waited for the same lock (health routes too, behind them on the loop). An explanation now runs on the
 * model's own copy, so a prediction is answered while an explanation is still running.
 */
class ExplainConcurrencyTest {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private PredictionServer server;

    @AfterEach
    void stop() {
        gate.countDown();
        server.close();
    }

    @Test
    void predictionsAreAnsweredWhileAnExplanationRuns() throws Exception {
        ModelRegistry models = new ModelRegistry();
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withHttpEventLoops(1), models, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        models.offer(new ServedModel(TestModels.snapshot(TestModels.linearSchema(), TestModels.linearLearner(), 1)
                .metadata(), new GatedExplainer(TestModels.linearLearner(), entered, gate)));
        HttpJson http = new HttpJson(server.port());

        CompletableFuture<Reply> explanation = CompletableFuture.supplyAsync(() -> http.post(
                "/v1/models/linear/explain", "{\"instances\": [{\"x\": 0.25}, {\"x\": 0.5}]}"));
        assertThat(entered.await(1, TimeUnit.MINUTES)).as("the explanation started").isTrue();

        Reply predicted = http.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}");
        Reply live = http.get("/health/live");

        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        assertThat(live.status()).isEqualTo(200);
        assertThat(explanation).as("the explanation is still waiting at its gate").isNotDone();
        gate.countDown();
        Reply explained = explanation.get(1, TimeUnit.MINUTES);
        assertThat(explained.status()).as(explained.body()).isEqualTo(200);
        assertThat(explained.json().get("explanations")).hasSize(2);
    }
}

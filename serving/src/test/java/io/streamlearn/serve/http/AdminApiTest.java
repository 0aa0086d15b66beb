package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Versions kept per model, the routes that serve a given one, and the admin routes that pin, roll back and unpin. */
class AdminApiTest {

    private static final String TOKEN = "t0ken-for-tests";
    private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + TOKEN);

    private static FeatureSchema schema;
    private static OnlineLearner learner;

    private PredictionServer server;
    private HttpJson http;

    @BeforeAll
    static void train() {
        schema = TestModels.linearSchema();
        learner = TestModels.linearLearner();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keepsTheLastVersionsAndServesAnyOfThemByVersionRoute() {
        serve(TOKEN, 4);

        assertThat(servedVersion()).isEqualTo(4);
        assertThat(http.get("/v1/models/linear").json().get("versions").toString()).isEqualTo("[2,3,4]");
        assertThat(http.get("/v2/models/linear").json().get("versions").toString()).isEqualTo("[\"2\",\"3\",\"4\"]");
        assertThat(infer("/v2/models/linear/versions/2/infer").json().get("model_version").asText()).isEqualTo("2");
        assertThat(infer("/v2/models/linear/versions/1/infer").status()).isEqualTo(404);
    }

    @Test
    void promoteRollbackAndUnpinChooseTheServedVersion() {
        serve(TOKEN, 4);

        Reply promoted = admin("POST", "/v1/models/linear/versions/3/promote");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.json().toString()).isEqualTo(
                "{\"model\":\"linear\",\"version\":3,\"pinned\":3,\"versions\":[2,3,4]}");
        assertThat(servedVersion()).isEqualTo(3);

        Reply rolledBack = admin("POST", "/v1/models/linear/rollback");
        assertThat(rolledBack.status()).isEqualTo(200);
        assertThat(rolledBack.json().get("pinned").asLong()).isEqualTo(2);
        assertThat(servedVersion()).isEqualTo(2);

        load(5);
        assertThat(servedVersion()).as("a pinned model stays on its version").isEqualTo(2);
        assertThat(infer("/v2/models/linear/infer").json().get("model_version").asText()).isEqualTo("2");
        assertThat(http.get("/v1/models/linear").json().get("versions").toString())
                .as("the pinned version is kept beyond the last three").isEqualTo("[2,3,4,5]");

        Reply unpinned = admin("DELETE", "/v1/models/linear/pin");
        assertThat(unpinned.status()).isEqualTo(200);
        assertThat(unpinned.json().get("pinned").isNull()).isTrue();
        assertThat(servedVersion()).isEqualTo(5);
    }

    @Test
    void adminMistakesAreClientErrorsThatChangeNothing() {
        serve(TOKEN, 1);

        assertError(admin("POST", "/v1/models/linear/rollback"), 409, "no_previous_version");
        assertError(admin("POST", "/v1/models/linear/versions/7/promote"), 404, "unknown_version");
        assertError(admin("POST", "/v1/models/gold/versions/1/promote"), 404, "unknown_model");
        assertError(admin("DELETE", "/v1/models/gold/pin"), 404, "unknown_model");
        assertThat(http.get("/v1/models/linear").json().get("pinned").isNull()).isTrue();
    }

    @Test
    void missingOrWrongTokenIs401AndChangesNothing() {
        serve(TOKEN, 2);

        Reply missing = http.send("POST", "/v1/models/linear/versions/1/promote", null, null);
        assertError(missing, 401, "unauthorized");
        assertError(http.send("POST", "/v1/models/linear/rollback", null, null,
                Map.of("Authorization", "Bearer " + TOKEN + "x")), 401, "unauthorized");
        assertError(http.send("DELETE", "/v1/models/linear/pin", null, null,
                Map.of("Authorization", "Basic " + TOKEN)), 401, "unauthorized");

        assertThat(servedVersion()).isEqualTo(2);
        assertThat(http.get("/v1/models/linear").json().get("pinned").isNull()).isTrue();
    }

    @Test
    void withoutAConfiguredTokenAdminRoutesAre403AndChangeNothing() {
        serve(null, 2);

        assertError(admin("POST", "/v1/models/linear/versions/1/promote"), 403, "admin_disabled");
        assertError(admin("POST", "/v1/models/linear/rollback"), 403, "admin_disabled");
        assertError(admin("DELETE", "/v1/models/linear/pin"), 403, "admin_disabled");

        assertThat(servedVersion()).isEqualTo(2);
    }

    private void serve(String token, int versions) {
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withAdminToken(token), new ModelRegistry(3), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        http = new HttpJson(server.port());
        for (int version = 1; version <= versions; version++) {
            load(version);
        }
    }

    private void load(long version) {
        server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(schema, learner, version), "test");
    }

    private long servedVersion() {
        JsonNode body = http.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}").json();
        return body.get("version").asLong();
    }

    private Reply infer(String path) {
        return http.post(path, "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\","
                + " \"data\": [0.5]}]}");
    }

    private Reply admin(String method, String path) {
        return http.send(method, path, null, null, AUTHORIZED);
    }

    private static void assertError(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().get("error").asText()).isEqualTo(code);
    }
}

package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.TestModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A request the server cannot answer in time gets a JSON 503, never a hang or a stack trace. */
class RequestTimeoutTest {

    private static PredictionServer server;

    @BeforeAll
    static void serveWithAShortTimeout() {
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withRequestTimeoutMs(300), new ModelRegistry(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(TestModels.electricity().schema(),
                TestModels.electricityLearner(100), 1), "test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void bodyThatNeverCompletesIsAnswered503WithAJsonError() throws IOException {
        RawReply reply = postIncompleteBody("/v1/models/electricity/predict");

        assertThat(reply.status()).isEqualTo(503);
        JsonNode body = TestModels.JSON.readTree(reply.body());
        assertThat(body.get("error").asText()).isEqualTo("request_timeout");
        assertThat(body.get("detail").asText()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void inferenceProtocolRouteAnswersItsOwnErrorObject() throws IOException {
        RawReply reply = postIncompleteBody("/v2/models/electricity/infer");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(TestModels.JSON.readTree(reply.body()).fieldNames()).toIterable().containsExactly("error");
    }

    @Test
    void timeoutsAreCountedAsErrors() throws IOException {
        postIncompleteBody("/v1/models/electricity/predict");

        assertThat(new HttpJson(server.port()).get("/metrics").body())
                .contains("streamlearn_serve_errors_total{error=\"request_timeout\",status=\"503\"}");
    }

    private record RawReply(int status, String body) {
    }

    /** Announces a body of 100 bytes and sends 12, then waits for the server's answer. */
    private static RawReply postIncompleteBody(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"features\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            int length = 0;
            for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) {
                if (header.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).strip());
                }
            }
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                read += in.read(body, read, length - read);
            }
            return new RawReply(status, new String(body));
        }
    }
}

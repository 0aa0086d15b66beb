package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamlearn.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RetrainCommandTest {

    @Test
    void isRegisteredWithItsOptions() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("retrain", "--help")).isZero();
        assertThat(out.toString()).contains("--bootstrap-servers", "--config", "--set", "--port");
    }

    @Test
    void anInvalidSettingFailsBeforeConnecting() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute("retrain", "--bootstrap-servers", "localhost:1", "--set",
                "retrain.window.policy=newest");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("retrain.window.policy must be since-drift or recent");
    }

    @Test
    void startsOnABrokerAnswersItsRoutesAndStops() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopic("models", 1, java.util.Map.of("cleanup.policy", "compact"));
            RetrainCommand command = new RetrainCommand();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread running = new Thread(() -> exit.set(new CommandLine(command).execute("--bootstrap-servers",
                    broker.bootstrapServers(), "--port", "0")), "retrain-command");
            running.start();
            int port = command.awaitPort(60);
            assertThat(port).isPositive();
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            HttpResponse<String> runs = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/v1/runs")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).isEqualTo(200);
            assertThat(runs.body()).isEqualTo("{\"runs\":[]}");
            command.stop();
            running.join(Duration.ofSeconds(60).toMillis());
            assertThat(running.isAlive()).isFalse();
            assertThat(exit.get()).isZero();
        }
    }
}

package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.http.DriftRoutes;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.contract.OpenApiContract;
import io.streamlearn.runtime.contract.RecordSchemas;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.http.ServiceHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/contracts/openapi/monitor.json against a drift monitor on a real broker, as {@code monitor} serves it, after
 * it has seen drifting traffic (feature, prediction and concept reports, alerts): the document names exactly the
 * router's routes and every answer matches it; the alerts and retrain requests it committed match their schemas.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DriftMonitorContractTest {

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @Test
    void theMonitorAnswersAndWritesAsDocumented() throws Exception {
        DriftMonitorConfig config = MonitorTopics.create(broker, stateDir, "contract");
        new TrafficProducer(broker, config).produceUpTo(8000);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (DriftMonitorApplication monitor = DriftMonitorApplication.start(config, registry);
                ServiceHttpServer http = ServiceHttpServer.start("drift monitor", 0,
                        DriftRoutes.extension(monitor.reports()), registry, Liveness.of(monitor.failure()),
                        () -> monitor.state() == KafkaStreams.State.RUNNING)) {
            OpenApiContract api = OpenApiContract.of(http.port());
            api.assertDescribesExactly(http.routes());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    CommittedRecords.readAll(broker.bootstrapServers(), config.retrainRequestsTopic()).size() >= 2
                            && monitor.reports().alerts(Traffic.MODEL).size() >= 3);

            String drift = "/v1/drift/{model}";
            assertThat(api.call("GET", drift, "/v1/drift/" + Traffic.MODEL, null).statusCode()).isEqualTo(200);
            assertThat(api.call("GET", drift, "/v1/drift/nobody", null).statusCode()).isEqualTo(404);
            assertThat(api.call("GET", drift + "/report.html", "/v1/drift/" + Traffic.MODEL + "/report.html", null)
                    .statusCode()).isEqualTo(200);
            assertThat(api.call("GET", drift + "/report.html", "/v1/drift/nobody/report.html", null).statusCode())
                    .isEqualTo(404);
            api.call("GET", "/health/live", "/health/live", null);
            api.call("GET", "/health/ready", "/health/ready", null);
            api.call("GET", "/metrics", "/metrics", null);
            api.call("GET", "/openapi.json", "/openapi.json", null);
            api.assertEverySuccessAnswered();
        }
        RecordSchemas schemas = RecordSchemas.fromDocs();
        for (ConsumerRecord<String, byte[]> alert : CommittedRecords.readAll(broker.bootstrapServers(),
                config.alertsTopic())) {
            schemas.assertValid(RecordSchemas.DRIFT_ALERT, alert.value());
        }
        for (ConsumerRecord<String, byte[]> request : CommittedRecords.readAll(broker.bootstrapServers(),
                config.retrainRequestsTopic())) {
            schemas.assertValid(RecordSchemas.RETRAIN_REQUEST, request.value());
        }
    }
}

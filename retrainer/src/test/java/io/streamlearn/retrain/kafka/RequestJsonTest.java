package io.streamlearn.retrain.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.retrain.run.RetrainRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestJsonTest {

    @Test
    void readsTheDriftMonitorsRequest() {
        String json = "{\"model\":\"electricity\",\"reason\":\"drift\",\"fromPosition\":6251,\"partition\":0,"
                + "\"fromOffset\":6253,\"fromTime\":1700006251000,\"detectedAtPosition\":8000,"
                + "\"detectedAtTime\":1700008000000,\"alerts\":[{\"kind\":\"feature\",\"feature\":\"nswprice\","
                + "\"statistic\":\"psi\",\"severity\":\"major\"}]}";
        RetrainRequest request = RequestJson.decode("electricity", json.getBytes(StandardCharsets.UTF_8), 42);
        assertThat(request.model()).isEqualTo("electricity");
        assertThat(request.hasDriftPoint()).isTrue();
        assertThat(request.partition()).isZero();
        assertThat(request.fromOffset()).isEqualTo(6253);
        assertThat(request.fromTime()).isEqualTo(1_700_006_251_000L);
        assertThat(request.requestedAt()).isEqualTo(42);
        assertThat(request.alerts()).singleElement().satisfies(alert ->
                assertThat(alert).containsEntry("feature", "nswprice").containsEntry("severity", "major"));
    }

    @Test
    void writesAdminAndScheduleRequestsInTheSameShapeAndRefusesNonsense() {
        RetrainRequest admin = RetrainRequest.of("m", RetrainRequest.ADMIN, 7);
        RetrainRequest back = RequestJson.decode("m", RequestJson.encode(admin), 7);
        assertThat(back).isEqualTo(admin);
        assertThat(back.hasDriftPoint()).isFalse();
        assertThat(RequestJson.decode("keyed", "{}".getBytes(StandardCharsets.UTF_8), 1).model()).isEqualTo("keyed");
        assertThatThrownBy(() -> RequestJson.decode("m", "[1]".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestJson.decode("m", "{".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

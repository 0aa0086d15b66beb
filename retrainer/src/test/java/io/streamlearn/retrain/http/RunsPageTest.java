package io.streamlearn.retrain.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.RunStatus;
import io.streamlearn.retrain.run.TrainingRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunsPageTest {

    @Test
    void comparesRunsWithInlineCurvesAndEscapesWhatRequestsCarry() {
        TrainingRun run = TrainingRun.started("m-1", "m", 1, List.of(RetrainRequest.of("m", "<script>", 1)))
                .withTrials(List.of(Map.of("curve", List.of(0.7, 0.5, 0.45)), Map.of("curve", List.of(0.69, 0.6))))
                .withResult(Map.of("params", Map.of("eta", 0.1), "testScores", Map.of("challenger",
                        Map.of("accuracy", 0.9, "kappa", 0.8, "perClass", List.of()))), "cpu")
                .finished(RunStatus.REJECTED, "p=0.4 > 0.05 & margin", 2, null);

        String html = RunsPage.render(List.of(run));

        assertThat(html).contains("m-1", "rejected", "p=0.4 &gt; 0.05 &amp; margin", "&lt;script&gt;", "eta=0.1",
                "<svg", "<polyline",
                "challenger: accuracy 0.9000 kappa 0.8000").doesNotContain("<script>", "http://", "https://");
        assertThat(html.split("<polyline", -1)).hasSize(3);
        assertThat(RunsPage.render(List.of())).contains("No runs yet");
    }
}

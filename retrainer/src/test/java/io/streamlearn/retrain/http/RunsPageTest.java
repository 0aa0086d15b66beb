package io.streamlearn.retrain.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.RunStatus;
import io.streamlearn.retrain.run.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunsPageTest {

    @Test
    void comparesRunsWithChartedCurvesAndEscapesWhatRequestsCarry() {
        TrainingRun run = TrainingRun.started("m-1", "m", 1, List.of(RetrainRequest.of("m", "<script>", 1)))
                .withTrials(List.of(Map.of("number", 1, "metric", "logloss", "validationScore", 0.45,
                        "curve", List.of(0.7, 0.5, 0.45)), Map.of("number", 2, "curve", List.of(0.69, 0.6))))
                .withResult(Map.of("params", Map.of("eta", 0.1), "testScores", Map.of("challenger",
                        Map.of("accuracy", 0.9, "kappa", 0.8, "perClass", List.of()))), "cpu")
                .finished(RunStatus.REJECTED, "p=0.4 > 0.05 & margin", 2, null);

        String html = RunsPage.render(List.of(run));

        assertThat(html).contains("m-1", "rejected", "p=0.4 &gt; 0.05 &amp; margin", "&lt;script&gt;",
                "<th>eta</th><td>0.1000</td>", "class=\"chart\"", "class=\"axis-x\"", "class=\"legend\"",
                "trial 1 (best)", "validation logloss",
                "<td>challenger</td><td class=\"num\">0.9000</td><td class=\"num\">0.8000</td>")
                .doesNotContain("<script>", "http://", "https://");
        assertThat(html.split("class=\"series\"", -1)).hasSize(3);
        assertThat(RunsPage.render(List.of())).contains("No runs yet");
    }

    @Test
    void countsCoalescedRequestsInsteadOfRepeatingThem() {
        List<RetrainRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(new RetrainRequest("m", RetrainRequest.DRIFT, 0, 5L, 5L, i, List.of(Map.of("kind", "feature",
                    "feature", i % 2 == 0 ? "nswprice" : "vicprice", "statistic", "psi", "severity", "major"))));
        }
        requests.add(RetrainRequest.of("m", RetrainRequest.ADMIN, 11));

        assertThat(RunsPage.trigger(requests))
                .isEqualTo("drift: 10 requests, 10 alerts on nswprice, vicprice; admin");
    }
}

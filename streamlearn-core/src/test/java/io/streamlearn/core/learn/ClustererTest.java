package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CluStream behind {@link OnlineLearner}, on three well-separated Gaussian blobs (fixed seed). */
class ClustererTest {

    static final double[][] CENTRES = {{0, 0}, {10, 0}, {0, 10}};

    static final FeatureSchema SCHEMA = new FeatureSchema("blobs",
            FeatureSpec.nominal("blob", List.of("0", "1", "2")),
            List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("y")), List.of(), Task.CLUSTER);

    static double[] point(Random random, int blob) {
        return new double[] {CENTRES[blob][0] + random.nextGaussian() * 0.5,
                CENTRES[blob][1] + random.nextGaussian() * 0.5};
    }

    @Test
    void eachWellSeparatedBlobGetsItsOwnClusterId() {
        OnlineLearner clusterer = LearnerFactory.create(LearnerFactory.DEFAULT_CLUSTER_SPEC, SCHEMA);
        PrequentialEvaluator evaluator = PrequentialEvaluator.forSchema(SCHEMA, 1000);
        Random random = new Random(3);
        Map<Integer, Map<Integer, Integer>> idsPerBlob = new HashMap<>();
        for (int i = 0; i < 6000; i++) {
            int blob = random.nextInt(3);
            double[] features = point(random, blob);
            Prediction prediction = clusterer.predict(features);
            evaluator.observe(prediction);
            clusterer.observe(features);
            if (i >= 3000) {
                assertThat(prediction.hasValue()).isTrue();
                idsPerBlob.computeIfAbsent(blob, b -> new HashMap<>()).merge(prediction.predictedClass(), 1, Integer::sum);
            }
        }
        // Purity: each blob's events go (almost all) to one id, and the three blobs to three different ids.
        Set<Integer> dominant = new HashSet<>();
        for (Map<Integer, Integer> ids : idsPerBlob.values()) {
            int total = ids.values().stream().mapToInt(Integer::intValue).sum();
            Map.Entry<Integer, Integer> top = ids.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            assertThat(top.getValue() / (double) total).as("ids of a blob: %s", idsPerBlob).isGreaterThan(0.95);
            dominant.add(top.getKey());
        }
        assertThat(dominant).hasSize(3);

        assertThat(clusterer.clusters()).hasSize(3);
        for (ClusterSummary cluster : clusterer.clusters()) {
            double nearest = Double.POSITIVE_INFINITY;
            for (double[] centre : CENTRES) {
                nearest = Math.min(nearest, Math.hypot(centre[0] - cluster.center()[0], centre[1] - cluster.center()[1]));
            }
            assertThat(nearest).isLessThan(1.0);
        }
        Evaluation window = evaluator.evaluation().window();
        // Two dimensions of standard deviation 0.5: the expected squared distance to the true centre is 0.5.
        assertThat(window.ssq()).isLessThan(1.0);
        assertThat(window.silhouette()).isGreaterThan(0.8);
        assertThat(window.clusters()).isEqualTo(3);
    }

    @Test
    void restoredClustererAssignsAsTheOriginal() {
        OnlineLearner clusterer = LearnerFactory.create(LearnerFactory.DEFAULT_CLUSTER_SPEC, SCHEMA);
        Random random = new Random(5);
        for (int i = 0; i < 2100; i++) {
            clusterer.observe(point(random, random.nextInt(3)));
        }
        OnlineLearner restored = LearnerFactory.restore(clusterer.spec(), SCHEMA, clusterer.snapshot());
        assertThat(restored.clusters()).hasSameSizeAs(clusterer.clusters());
        for (int i = 0; i < 1000; i++) {
            double[] features = point(random, random.nextInt(3));
            assertThat(restored.predict(features).value()).isEqualTo(clusterer.predict(features).value());
            clusterer.observe(features);
            restored.observe(features);
        }
    }

    @Test
    void idsFollowTheNearestPreviousCentre() {
        List<ClusterSummary> previous = List.of(new ClusterSummary(0, new double[] {0, 0}, 1, 10),
                new ClusterSummary(1, new double[] {10, 0}, 1, 10));
        List<ClusterSummary> found = List.of(new ClusterSummary(0, new double[] {9.5, 0}, 1, 10),
                new ClusterSummary(1, new double[] {0.5, 0}, 1, 10), new ClusterSummary(2, new double[] {0, 9}, 1, 3));
        List<ClusterSummary> matched = MoaClusterer.matched(previous, found);
        assertThat(matched).extracting(ClusterSummary::id).containsExactly(0, 1, 2);
        assertThat(matched.get(0).center()).containsExactly(0.5, 0);
        assertThat(matched.get(1).center()).containsExactly(9.5, 0);
        assertThat(matched.get(2).center()).containsExactly(0, 9);
    }
}

package io.streamlearn.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.event.PredictionRecord;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gate scores the online model by the predictions the trainer made before it learned each test row, read from
 * {@code predictions}. Its newest snapshot has learned those rows: a 1-nearest-neighbour model asked again recalls
 * their labels, which no model serving new events could.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OnlineChampionIntegrationTest {

    private static final int EVENTS = 1200;
    private static final long SEED = 31;
    private static final long START = 1_700_000_000_000L;
    private static EmbeddedKafkaBroker broker;

    @Test
    void theOnlineModelIsScoredByThePredictionsItServedNotByASnapshotThatLearnedTheTestRows() throws Exception {
        RetrainConfig config = RetrainFixtures.config(broker, "recorded",
                Map.of("topic.predictions", "recorded.predictions"));
        broker.createTopic(config.predictionsTopic(), 1, Map.of());
        RetrainFixtures.produceEvents(broker, config, 0, EVENTS, true, SEED);
        OnlineLearner online = LearnerFactory.create("lazy.kNN -k 1 -w 5000", RetrainFixtures.SCHEMA);
        List<Prediction> served = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        // The same values as produceEvents: two Gaussians per event from Random(SEED), label x1 + x2 > 0.
        Random random = new Random(SEED);
        for (int i = 0; i < EVENTS; i++) {
            double[] features = {random.nextGaussian(), random.nextGaussian()};
            int label = features[0] + features[1] > 0 ? 1 : 0;
            Prediction prediction = online.predict(features);
            served.add(prediction);
            labels.add(label);
            records.add(PredictionRecord.encode("e" + i, RetrainFixtures.SCHEMA, 1, prediction, START + i * 1000L));
            online.learn(features, label);
        }
        RetrainFixtures.publish(broker, config.predictionsTopic(), RetrainFixtures.MODEL, records);
        RetrainFixtures.publish(broker, config.modelsTopic(), RetrainFixtures.MODEL, ModelSnapshotCodec.encode(
                new ModelSnapshot(new ModelMetadata(RetrainFixtures.MODEL, 1, online.spec(), RetrainFixtures.SCHEMA,
                        Map.of(), EVENTS, EVENTS, null, START + EVENTS * 1000L, ModelSnapshotCodec.FORMAT_VERSION),
                        online.snapshot())));

        JsonNode result = runOneRequest(config).get("result");

        int testRows = result.get("split").get("testRows").asInt();
        long correct = 0;
        for (int i = EVENTS - testRows; i < EVENTS; i++) {
            correct += served.get(i).predictedClass() == labels.get(i) ? 1 : 0;
        }
        double servedAccuracy = (double) correct / testRows;
        assertThat(servedAccuracy).as("the served predictions miss some test rows").isLessThan(1.0);
        assertThat(result.get("recordedTestRows").get("online").asInt()).isEqualTo(testRows);
        assertThat(result.get("testScores").get("online").get("accuracy").asDouble()).isEqualTo(servedAccuracy);
    }

    private static JsonNode runOneRequest(RetrainConfig config) throws Exception {
        try (Retrainer retrainer = Retrainer.start(config, BatchChallengerTrainer.fromSettings(
                config.retrainSettings()), new SimpleMeterRegistry(), 1, (short) 1)) {
            RetrainFixtures.requestRetrain(broker, config, 0);
            List<JsonNode> runs = RetrainFixtures.awaitFinalRun(broker, config);
            return runs.get(runs.size() - 1);
        }
    }
}

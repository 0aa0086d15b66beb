package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.ShardSum;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A sharded model's task on its own, the vote stage's sums fed to it by hand: sums come from different vote-stage
 * tasks, so they can overtake each other, which {@code TopologyTestDriver} (answering every step at once) never
 * shows.
 */
class ShardedModelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelCatalog catalog = new ModelCatalog();
    private final MockProcessorContext<String, TrainerOutput> context = new MockProcessorContext<>();
    private final TrainerConfig config = TrainerConfig.of(Map.of("shard.enabled", "true"));

    /**
     * The model predicts its events in their order whatever order their sums come in (its evaluation is one sequence,
     * which a recovered run must repeat): a sum that overtook an earlier event's waits for it.
     */
    @Test
    void aSumThatOvertakesAnEarlierEventsWaitsAndTheModelPredictsInTheOrderOfItsEvents() throws Exception {
        ModelDefinition definition = TestModels.definition("meta.OzaBag -s 4").withShards(2);
        catalog.apply(DefinedModel.defined(definition));
        KeyValueStore<String, byte[]> awaited = null;
        for (String name : List.of(TrainerTopology.CHECKPOINT_STORE, TrainerTopology.JOURNAL_STORE,
                TrainerTopology.PENDING_STORE, TrainerTopology.EARLY_LABELS_STORE,
                TrainerTopology.AWAITED_VOTES_STORE)) {
            awaited = store(name);
        }
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(new SimpleMeterRegistry());
        long now = System.currentTimeMillis();
        context.setCurrentSystemTimeMs(now);
        TrainingProcessor processor = new TrainingProcessor(config, catalog, metrics);
        processor.init(context);
        for (int i = 0; i < 3; i++) {
            context.setRecordMetadata(config.eventsTopic(), 0, i);
            processor.process(new Record<>(TestModels.MODEL,
                    TestModels.event(i, true).getBytes(StandardCharsets.UTF_8), now));
        }
        assertThat(context.forwarded()).extracting(forward -> (Object) forward.record().value().getClass())
                .as("two steps per event, one to each shard").containsOnly(TrainerOutput.ShardStepSent.class)
                .hasSize(6);
        context.resetForwards();

        sum(processor, 2, new double[] {0, 2});
        sum(processor, 1, new double[] {2, 0});
        assertThat(predictions()).as("events 1 and 2 wait for event 0").isEmpty();
        sum(processor, 0, new double[] {1, 3});

        List<JsonNode> predictions = predictions();
        assertThat(predictions).extracting(prediction -> prediction.get("id").asText())
                .containsExactly("e0", "e1", "e2");
        assertThat(predictions).extracting(prediction -> prediction.get("scores").get("no").asDouble())
                .as("each from its own sum").containsExactly(0.75, 0.0, 1.0);
        try (KeyValueIterator<String, byte[]> left = awaited.all()) {
            assertThat(left.hasNext()).as("no event waits any more").isFalse();
        }
    }

    private void sum(TrainingProcessor processor, int event, double[] votes) {
        context.setRecordMetadata(config.shardSumsTopic(), 0, event);
        processor.process(new Record<>(TestModels.MODEL, new ShardSum(1, "e" + event, 0, event, votes).encode(),
                System.currentTimeMillis()));
    }

    private List<JsonNode> predictions() throws Exception {
        List<JsonNode> predictions = new ArrayList<>();
        for (var forward : context.forwarded()) {
            if (forward.record().value() instanceof TrainerOutput.PredictionMade prediction) {
                predictions.add(JSON.readTree(prediction.value()));
            }
        }
        return predictions;
    }

    private KeyValueStore<String, byte[]> store(String name) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}

package io.streamlearn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.eval.AlertRule;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDefinitionCodecTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema("fraud",
            FeatureSpec.nominal("label", List.of("ok", "fraud")),
            List.of(FeatureSpec.numeric("amount"), FeatureSpec.nominal("country", List.of("de", "fr"))));

    @Test
    void aDefinitionAndADeletionGoThroughTheTopicUnchanged() {
        ModelDefinition definition = new ModelDefinition(SCHEMA, "trees.HoeffdingTree", new AlertRule(0.9, 0.02), 3, 7);
        DefinedModel read = ModelDefinitionCodec.decode("fraud",
                ModelDefinitionCodec.encode(DefinedModel.defined(definition)));
        assertThat(read.deleted()).isFalse();
        assertThat(read.definition()).isEqualTo(definition);

        DefinedModel deletion = ModelDefinitionCodec.decode("fraud",
                ModelDefinitionCodec.encode(DefinedModel.deletion("fraud", definition, 3, 8)));
        assertThat(deletion.deleted()).isTrue();
        assertThat(deletion.generation()).isEqualTo(3);
        assertThat(deletion.version()).isEqualTo(8);
        assertThat(ModelDefinitionCodec.decode("fraud", null).deleted()).as("a tombstone").isTrue();
    }

    @Test
    void recordsThatAreNoDefinitionOfTheirKeyAreRefusedWithTheReason() {
        byte[] fraud = ModelDefinitionCodec.encode(DefinedModel.defined(new ModelDefinition(SCHEMA,
                "trees.HoeffdingTree")));
        assertThatThrownBy(() -> ModelDefinitionCodec.decode("other", fraud))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names model 'fraud'");
        assertThatThrownBy(() -> ModelDefinitionCodec.decode("fraud", bytes("[1]")))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ModelDefinitionCodec.decode("fraud", bytes("{\"model\":\"fraud\"}")))
                .hasMessageContaining("needs \"learner\" and \"schema\"");
        String unknownSetting = new String(fraud, StandardCharsets.UTF_8)
                .replace("\"settings\":{", "\"settings\":{\"drift.window\":\"5\",");
        assertThatThrownBy(() -> ModelDefinitionCodec.decode("fraud", bytes(unknownSetting)))
                .hasMessageContaining("unknown setting 'drift.window'");
        String unknownLearner = new String(fraud, StandardCharsets.UTF_8)
                .replace("trees.HoeffdingTree", "trees.NoSuchTree");
        assertThatThrownBy(() -> ModelDefinitionCodec.decode("fraud", bytes(unknownLearner)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShardedDefinitionCarriesItsShardsAndRefusesWhatCannotBeSplit() {
        ModelDefinition sharded = new ModelDefinition(SCHEMA, "meta.AdaptiveRandomForest -s 10").withShards(4);
        byte[] encoded = ModelDefinitionCodec.encode(DefinedModel.defined(sharded));
        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("\"shards\":4");
        assertThat(ModelDefinitionCodec.decode("fraud", encoded).definition()).isEqualTo(sharded);
        assertThat(sharded.isSharded()).isTrue();
        assertThat(sharded.shard(3).name()).isEqualTo("fraud#3");
        assertThat(sharded.shard(3).model()).isEqualTo("fraud");
        assertThatThrownBy(() -> sharded.shard(4)).hasMessageContaining("no shard 4");
        assertThat(sharded.withShards(2).stateChanges(sharded)).containsExactly("shards 2 are now 4");

        String boosting = new String(encoded, StandardCharsets.UTF_8)
                .replace("meta.AdaptiveRandomForest -s 10", "meta.OzaBoost -s 10");
        assertThatThrownBy(() -> ModelDefinitionCodec.decode("fraud", bytes(boosting)))
                .hasMessageContaining("cannot be sharded");
        String notANumber = new String(encoded, StandardCharsets.UTF_8).replace("\"shards\":4", "\"shards\":\"x\"");
        assertThatThrownBy(() -> ModelDefinitionCodec.decode("fraud", bytes(notANumber)))
                .hasMessageContaining("\"shards\" must be an integer");
        assertThatThrownBy(() -> new ModelDefinition(SCHEMA.withModel("a#b"), "trees.HoeffdingTree"))
                .hasMessageContaining("cannot contain '#'");
    }

    @Test
    void stateChangesNameWhatALearnedStateCannotFollow() {
        ModelDefinition before = new ModelDefinition(SCHEMA, "trees.HoeffdingTree");
        assertThat(before.stateChanges(before.withVersion(2))).as("the same state written again").isEmpty();

        FeatureSchema widened = new FeatureSchema("fraud", SCHEMA.target(), List.of(FeatureSpec.numeric("amount"),
                FeatureSpec.nominal("country", List.of("de", "fr", "it")), FeatureSpec.numeric("age")));
        assertThat(before.stateChanges(new ModelDefinition(widened, "bayes.NaiveBayes")))
                .containsExactly("learner 'trees.HoeffdingTree' is now 'bayes.NaiveBayes'", "feature age added",
                        "feature country changed");
        assertThat(before.stateChanges(new ModelDefinition(SCHEMA, "trees.HoeffdingTree", AlertRule.topRate(0.05))))
                .singleElement().asString().startsWith("alert rule");
    }

    @Test
    void aCatalogKeepsDeletedNamesWithTheirGenerationAndTellsItsListeners() {
        ModelCatalog catalog = new ModelCatalog();
        assertThat(catalog.isEmpty()).isTrue();
        List<String> seen = new java.util.ArrayList<>();
        catalog.addListener(model -> seen.add(model.name() + (model.deleted() ? " deleted" : " defined")));
        ModelDefinition fraud = new ModelDefinition(SCHEMA, "trees.HoeffdingTree");
        catalog.apply(DefinedModel.defined(fraud));
        assertThat(catalog.find("fraud")).contains(fraud);
        catalog.apply(DefinedModel.deletion("fraud", fraud, 1, 2));
        assertThat(catalog.find("fraud")).isEmpty();
        assertThat(catalog.definitions()).isEmpty();
        assertThat(catalog.isEmpty()).as("a deleted name is still known").isFalse();
        assertThat(catalog.record("fraud")).hasValueSatisfying(record -> assertThat(record.generation()).isEqualTo(1));
        assertThat(seen).containsExactly("fraud defined", "fraud deleted");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

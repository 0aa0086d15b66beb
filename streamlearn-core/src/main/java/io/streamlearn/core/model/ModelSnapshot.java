package io.streamlearn.core.model;

import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.ShardedEnsemble;
import io.streamlearn.core.learn.OnlineLearner;
import java.util.Map;

/** A model version: its metadata and the learner's state, as published on the {@code models} topic. */
public record ModelSnapshot(ModelMetadata metadata, byte[] learnerState) {

    /**
     * A fresh learner equal to the one that was snapshotted; decoding can be slow for large ensembles. A sharded
     * model's version is restorable once {@link ShardAssembler} has put its shards' states together.
     */
    public OnlineLearner restoreLearner() {
        if (metadata.isSharded()) {
            return ShardedEnsemble.restore(metadata.learnerSpec(), metadata.schema(), learnerState);
        }
        return LearnerFactory.restore(metadata.learnerSpec(), metadata.schema(), learnerState);
    }

    /**
     * Version 1 of a learner trained on every labelled row of a dataset in file order, the model the demo's trainer
     * ends with: what the serving benchmarks serve. No input offsets and no evaluation.
     *
     * @throws IllegalArgumentException when a row does not fit the dataset's own schema
     */
    public static ModelSnapshot trainedOn(Dataset dataset, String learnerSpec, long createdAt) {
        FeatureEncoder encoder = new FeatureEncoder(dataset.schema());
        OnlineLearner learner = LearnerFactory.create(learnerSpec, dataset.schema());
        var json = new EventCodec().json();
        long labelled = 0;
        for (LabeledRow row : dataset.rows()) {
            if (row.label() == null) {
                continue;
            }
            try {
                learner.learn(encoder.encodeFeatures(json.valueToTree(row.features())),
                        encoder.encodeLabel(json.valueToTree(row.label())));
            } catch (InvalidRecordException e) {
                throw new IllegalArgumentException("dataset row does not fit its own schema: " + e.getMessage(), e);
            }
            labelled++;
        }
        ModelMetadata metadata = new ModelMetadata(dataset.schema().model(), 1, learner.spec(), dataset.schema(),
                Map.of(), dataset.rows().size(), labelled, null, createdAt, ModelSnapshotCodec.FORMAT_VERSION);
        return new ModelSnapshot(metadata, learner.snapshot());
    }
}

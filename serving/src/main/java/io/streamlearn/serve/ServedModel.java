package io.streamlearn.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.ClusterSummary;
import io.streamlearn.core.learn.ExplainableLearner;
import io.streamlearn.core.learn.Explanation;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One loaded model version: its provenance and a learner restored from its snapshot, never trained further.
 *
 * <p>MOA promises no thread safety for any learner method, prediction included, and which learner is served is a
 * matter of configuration, so prediction takes this model's own lock. The alternative, one learner copy per thread,
 * multiplies memory (an ARF snapshot is megabytes) and decoding time, while a prediction holds the lock for
 * microseconds; features are encoded before taking it. A swap brings a new learner with a new lock, so requests on
 * the old and the new version never wait for each other.
 *
 * <p>Explanations (TreeSHAP, a few hundred predictions' worth each, up to a batch of them per request) never take that
 * lock: they run on a copy of the learner made for them on the first explanation ({@link ExplainableLearner#copy()}),
 * under a lock of its own, so predictions answered on an event loop never wait for them. Only making the copy, once
 * per version, reads the served learner under its lock.
 */
public final class ServedModel {

    private final ModelMetadata metadata;
    private final OnlineLearner learner;
    private final FeatureEncoder encoder;
    private final Object explainerLock = new Object();
    /** The learner explanations run on, made on the first one; guarded by {@link #explainerLock}. */
    private ExplainableLearner explainer;

    public ServedModel(ModelMetadata metadata, OnlineLearner learner) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.learner = Objects.requireNonNull(learner, "learner");
        this.encoder = new FeatureEncoder(metadata.schema());
    }

    /** Restores the learner; slow for large ensembles, so never called on an event loop. */
    public static ServedModel restore(ModelSnapshot snapshot) {
        return new ServedModel(snapshot.metadata(), snapshot.restoreLearner());
    }

    public String name() {
        return metadata.model();
    }

    public long version() {
        return metadata.version();
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public FeatureSchema schema() {
        return metadata.schema();
    }

    /** The encoder of this version's schema, for callers that read features without building JSON trees. */
    public FeatureEncoder encoder() {
        return encoder;
    }

    /**
     * @throws InvalidRecordException when a feature is missing, unknown, of the wrong type, not finite or an unseen
     *                                nominal value; it names the feature
     */
    public ServedPrediction predict(ObjectNode features) throws InvalidRecordException {
        double[] encoded = encoder.encodeFeatures(features);
        Prediction prediction;
        synchronized (learner) {
            prediction = learner.predict(encoded);
        }
        return describe(prediction);
    }

    /**
     * Encodes every instance before predicting any, so a bad instance fails the whole batch without wasted work.
     *
     * @throws InvalidRecordException naming the first bad instance by its position and the feature at fault
     */
    public List<ServedPrediction> predictAll(List<ObjectNode> instances) throws InvalidRecordException {
        return predictEncoded(encodeAll(instances));
    }

    /**
     * Predicts instances given as values in schema order ({@link FeatureEncoder#encodeValues}), encoding every one
     * before predicting any, as {@link #predictAll} does.
     *
     * @throws InvalidRecordException naming the first bad instance by its position and the feature at fault
     */
    public List<ServedPrediction> predictRows(List<JsonNode[]> rows) throws InvalidRecordException {
        return predictEncoded(encodeEach(rows, encoder::encodeValues));
    }

    /** Predicts instances already encoded by {@link #encoder()}, as {@link #predictAll} does after encoding. */
    public List<ServedPrediction> predictEncoded(List<double[]> encoded) {
        List<Prediction> predictions = new ArrayList<>(encoded.size());
        synchronized (learner) {
            for (double[] features : encoded) {
                predictions.add(learner.predict(features));
            }
        }
        List<ServedPrediction> described = new ArrayList<>(predictions.size());
        for (Prediction prediction : predictions) {
            described.add(describe(prediction));
        }
        return described;
    }

    /** Whether {@link #explainAll} works: batch (XGBoost) models explain themselves, online MOA learners do not. */
    public boolean explainable() {
        return learner instanceof ExplainableLearner;
    }

    /**
     * Per-feature contributions (SHAP values) of each instance, encoded first as {@link #predictAll} does. Computing
     * them costs about as much as a few hundred predictions, so callers run it on a worker thread.
     *
     * @throws InvalidRecordException        naming the first bad instance and feature
     * @throws UnsupportedOperationException when the model is not {@link #explainable()}
     */
    public List<ServedExplanation> explainAll(List<ObjectNode> instances) throws InvalidRecordException {
        if (!(learner instanceof ExplainableLearner explainer)) {
            throw new UnsupportedOperationException(this + " (" + learner.spec() + ") is an online learner: "
                    + "explanations need a batch (XGBoost) model");
        }
        List<double[]> encoded = encodeAll(instances);
        List<Explanation> explanations = new ArrayList<>(encoded.size());
        synchronized (explainerLock) {
            ExplainableLearner copy = explainerOf(explainer);
            for (double[] features : encoded) {
                explanations.add(copy.explain(features));
            }
        }
        List<ServedExplanation> described = new ArrayList<>(explanations.size());
        for (Explanation explanation : explanations) {
            described.add(new ServedExplanation(explanation, describe(explanation.prediction())));
        }
        return described;
    }

    /** Called holding {@link #explainerLock}. */
    private ExplainableLearner explainerOf(ExplainableLearner served) {
        if (explainer == null) {
            synchronized (learner) {
                explainer = served.copy();
            }
        }
        return explainer;
    }

    private List<double[]> encodeAll(List<ObjectNode> instances) throws InvalidRecordException {
        return encodeEach(instances, encoder::encodeFeatures);
    }

    /** How one instance is encoded. */
    @FunctionalInterface
    private interface Encoding<T> {
        double[] encode(T instance) throws InvalidRecordException;
    }

    private static <T> List<double[]> encodeEach(List<T> instances, Encoding<T> encoding)
            throws InvalidRecordException {
        List<double[]> encoded = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            try {
                encoded.add(encoding.encode(instances.get(i)));
            } catch (InvalidRecordException e) {
                throw atInstance(i, e);
            }
        }
        return encoded;
    }

    /** The same fault, its message saying which instance of a batch it is in. */
    public static InvalidRecordException atInstance(int instance, InvalidRecordException e) {
        return new InvalidRecordException(e.reason(), e.field(), "instance " + instance + ": " + e.getMessage());
    }

    /** The current clusters of a clustering model, in id order; empty for the other tasks. */
    public List<ClusterSummary> clusters() {
        synchronized (learner) {
            return learner.clusters();
        }
    }

    private ServedPrediction describe(Prediction prediction) {
        switch (schema().task()) {
            case ANOMALY:
                return new ServedPrediction(prediction.hasValue() ? prediction.value() : null, ClassScores.NONE);
            case CLUSTER:
                return new ServedPrediction(prediction.hasValue() ? prediction.predictedClass() : null, ClassScores.NONE);
            default:
                break;
        }
        List<String> classes = schema().target().values();
        if (classes.isEmpty()) {
            return new ServedPrediction(prediction.value(), ClassScores.NONE);
        }
        return new ServedPrediction(encoder.decodeLabel(prediction.value()),
                new ClassScores(classes, prediction.scores()));
    }

    @Override
    public String toString() {
        return name() + " v" + version();
    }
}

package io.streamlearn.batch;

import io.streamlearn.core.features.FeaturePipeline;
import io.streamlearn.core.learn.ExplainableLearner;
import io.streamlearn.core.learn.Explanation;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.learn.SafeSerialization;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained XGBoost booster behind the schema's feature pipeline, as an {@link OnlineLearner} that only predicts: the
 * one place XGBoost's types meet streamlearn's. The pipeline was fitted on the training rows (by the same
 * {@link FeaturePipeline} code the online learner uses) and is frozen: serving does not move its statistics.
 *
 * <p>Its snapshot is the pipeline and the booster in XGBoost's own {@code ubj} model format, so the Java
 * serialization allow-list needs nothing beyond streamlearn's own classes.
 */
public final class XGBoostLearner implements ExplainableLearner {

    /** Spec prefix of every batch model; {@link XGBoostLearnerProvider} restores what starts with it. */
    public static final String SPEC_PREFIX = "xgboost";

    /** What a snapshot holds: the fitted pipeline and the booster's {@code ubj} bytes. */
    record State(FeaturePipeline pipeline, byte[] booster) implements Serializable {
    }

    private final String spec;
    private final FeatureSchema schema;
    private final FeaturePipeline pipeline;
    private final Booster booster;
    private final int classCount;
    private final List<String> columns;

    /**
     * Predictions run in the caller's thread ({@code nthread=1}): a served model predicts one instance at a time under
     * its lock, and OpenMP workers would only add barrier waits, which on a busy machine cost a scheduler time slice
     * each. The setting is not part of the saved model, so snapshot bytes do not change.
     */
    XGBoostLearner(String spec, FeaturePipeline pipeline, Booster booster, FeatureSchema schema) {
        try {
            booster.setParam("nthread", 1);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost rejected nthread=1: " + e.getMessage(), e);
        }
        this.spec = spec;
        this.schema = schema;
        this.pipeline = pipeline;
        this.booster = booster;
        this.classCount = schema.target().isNominal() ? schema.target().values().size() : 0;
        this.columns = pipeline.outputSchema().features().stream().map(FeatureSpec::name).toList();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not an XGBoost learner's snapshot
     */
    static XGBoostLearner restore(String spec, FeatureSchema schema, byte[] snapshot) {
        State state = SafeSerialization.deserialize(snapshot, State.class);
        try {
            return new XGBoostLearner(spec, state.pipeline(), XGBoost.loadModel(new ByteArrayInputStream(state.booster())),
                    schema);
        } catch (XGBoostError | IOException e) {
            throw new IllegalArgumentException("snapshot holds no readable XGBoost model: " + e.getMessage(), e);
        }
    }

    @Override
    public Prediction predict(double[] features) {
        float[] row = transformed(features);
        try {
            return prediction(booster.inplace_predict(row, 1, row.length, Float.NaN)[0]);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    /** Predictions for many encoded rows at once (one native call), as {@link #predict} would give them. */
    Prediction[] predictAll(DenseRows rows) {
        try {
            float[][] raw = booster.inplace_predict(rows.values(), rows.rows(), rows.columns(), Float.NaN);
            Prediction[] predictions = new Prediction[raw.length];
            for (int i = 0; i < raw.length; i++) {
                predictions[i] = prediction(raw[i]);
            }
            return predictions;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    /**
     * SHAP values from XGBoost's TreeSHAP ({@code predictContrib}; Lundberg et al., "Consistent Individualized Feature
     * Attribution for Tree Ensembles", 2018): the last column is the base value and the row sums to the raw margin.
     * For several classes, the predicted class's contributions.
     */
    @Override
    public Explanation explain(double[] features) {
        float[] row = transformed(features);
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(row, 1, row.length, Float.NaN);
            float[] contributions = booster.predictContrib(matrix, 0)[0];
            float[] margins = booster.predict(matrix, true)[0];
            Prediction prediction = prediction(booster.inplace_predict(row, 1, row.length, Float.NaN)[0]);
            int block = classCount > 2 ? prediction.predictedClass() : 0;
            return explanation(contributions, block, margins[Math.min(block, margins.length - 1)], prediction);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost explanation failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /** Restored from this learner's own snapshot: a booster and a pipeline of its own. */
    @Override
    public XGBoostLearner copy() {
        return restore(spec, schema, snapshot());
    }

    /** Mean absolute SHAP value of each column over these rows (all classes summed): global importance. */
    Map<String, Double> meanAbsoluteContributions(DenseRows rows) {
        DMatrix matrix = null;
        try {
            matrix = rows.matrix();
            float[][] contributions = booster.predictContrib(matrix, 0);
            double[] sums = new double[columns.size()];
            for (float[] row : contributions) {
                for (int i = 0; i < row.length; i++) {
                    int column = i % (columns.size() + 1);
                    if (column < columns.size()) {
                        sums[column] += Math.abs(row[i]);
                    }
                }
            }
            Map<String, Double> importance = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                importance.put(columns.get(c), contributions.length == 0 ? 0 : sums[c] / contributions.length);
            }
            return importance;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost contributions failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /** Batch models are not updated online; the retrainer trains a new version instead. */
    @Override
    public void learn(double[] features, double label) {
        throw new UnsupportedOperationException("batch model '" + spec + "' does not learn online: batch models are "
                + "trained by the retrainer");
    }

    /** The pipeline is frozen as it was fitted on the training rows. */
    @Override
    public void observe(double[] features) {
    }

    @Override
    public byte[] snapshot() {
        try {
            return SafeSerialization.serialize(new State(pipeline, booster.toByteArray("ubj")));
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost model could not be saved: " + e.getMessage(), e);
        }
    }

    @Override
    public String spec() {
        return spec;
    }

    /** The pipeline's output columns, the names of the contributions. */
    public List<String> columns() {
        return columns;
    }

    private float[] transformed(double[] features) {
        double[] row = pipeline.transform(features);
        float[] values = new float[row.length];
        for (int i = 0; i < row.length; i++) {
            values[i] = (float) row[i];
        }
        return values;
    }

    private Prediction prediction(float[] raw) {
        if (classCount == 0) {
            return Prediction.regression(raw[0]);
        }
        double[] scores = new double[classCount];
        if (classCount == 2 && raw.length == 1) {
            scores[0] = 1 - raw[0];
            scores[1] = raw[0];
        } else {
            for (int i = 0; i < classCount; i++) {
                scores[i] = raw[i];
            }
        }
        int best = 0;
        for (int i = 1; i < classCount; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return new Prediction(best, scores);
    }

    private Explanation explanation(float[] contributions, int block, double margin, Prediction prediction) {
        int width = columns.size() + 1;
        int offset = block * width;
        Map<String, Double> named = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            named.put(columns.get(c), (double) contributions[offset + c]);
        }
        return new Explanation(contributions[offset + width - 1], named, margin, prediction);
    }
}

package io.streamlearn.core.learn;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.streamlearn.core.schema.FeatureSchema;
import moa.classifiers.Classifier;
import moa.classifiers.OneClassClassifier;

/**
 * A MOA one-class learner ({@code oneclass.HSTrees}, {@code oneclass.Autoencoder},
 * {@code oneclass.NearestNeighbourDescription}) behind {@link OnlineLearner}: it predicts MOA's anomaly score
 * ({@code getAnomalyScore}: the higher, the more anomalous) and trains on every event through {@link #observe}, as an
 * unsupervised detector does. Labels, when they come, only evaluate it: learning from them would make the detector
 * supervised and its scores depend on how many labels arrived.
 */
final class MoaAnomalyDetector implements OnlineLearner {

    /** The class value events are trained with: the first declared target value, "normal". */
    private static final double NORMAL = 0;

    private final String spec;
    private final Classifier detector;
    private final OneClassClassifier scorer;
    private final InstancesHeader header;

    /** @param detector a MOA classifier that is also a {@link OneClassClassifier} */
    private MoaAnomalyDetector(String spec, Classifier detector, FeatureSchema schema) {
        if (!(detector instanceof OneClassClassifier oneClass)) {
            throw new IllegalArgumentException("learner '" + spec
                    + "' is no anomaly detector (MOA one-class learners: oneclass.HSTrees, oneclass.Autoencoder, ...)");
        }
        this.spec = spec;
        this.detector = detector;
        this.scorer = oneClass;
        this.header = MoaLearner.header(schema);
    }

    /** A detector that has seen nothing, given its model context as {@link MoaLearner#fresh} gives it. */
    static MoaAnomalyDetector fresh(String spec, Classifier detector, FeatureSchema schema) {
        MoaAnomalyDetector anomalies = new MoaAnomalyDetector(spec, detector, schema);
        detector.setModelContext(anomalies.header);
        return anomalies;
    }

    /** A detector as its snapshot left it, model context included ({@link MoaLearner#restored} says why). */
    static MoaAnomalyDetector restored(String spec, Classifier detector, FeatureSchema schema) {
        return new MoaAnomalyDetector(spec, detector, schema);
    }

    @Override
    public Prediction predict(double[] features) {
        double score = scorer.getAnomalyScore(instance(features, Double.NaN));
        return Double.isFinite(score) ? Prediction.anomaly(score) : Prediction.none();
    }

    @Override
    public void learn(double[] features, double label) {
    }

    @Override
    public void observe(double[] features) {
        detector.trainOnInstance(instance(features, NORMAL));
    }

    @Override
    public byte[] snapshot() {
        return SafeSerialization.serialize(detector);
    }

    @Override
    public String spec() {
        return spec;
    }

    private Instance instance(double[] features, double label) {
        return MoaLearner.instance(header, features, label);
    }
}

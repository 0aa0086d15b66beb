package io.streamlearn.core.learn;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import moa.classifiers.Classifier;

/**
 * A MOA classifier or regressor behind {@link OnlineLearner}. Instances are built on a header laid out as MOA's own
 * {@code ArffFileStream} lays out an ARFF file (features in schema order, the target last and the class index), so a
 * learner fed through here sees exactly what {@code EvaluatePrequential} would feed it.
 */
final class MoaLearner implements OnlineLearner {

    private final String spec;
    private final Classifier classifier;
    private final InstancesHeader header;
    private final int classCount;

    private MoaLearner(String spec, Classifier classifier, FeatureSchema schema) {
        this.spec = spec;
        this.classifier = classifier;
        this.header = header(schema);
        this.classCount = schema.target().isNominal() ? schema.target().values().size() : 0;
    }

    /** A learner that has seen nothing, given its model context as MOA's evaluators give it before the first instance. */
    static MoaLearner fresh(String spec, Classifier classifier, FeatureSchema schema) {
        MoaLearner learner = new MoaLearner(spec, classifier, schema);
        classifier.setModelContext(learner.header);
        return learner;
    }

    /**
     * A learner as its snapshot left it, model context included. Setting the context again is not harmless: MOA's kNN
     * empties its window there, so a restored kNN (served, or recovered by the trainer) voted for nothing.
     */
    static MoaLearner restored(String spec, Classifier classifier, FeatureSchema schema) {
        return new MoaLearner(spec, classifier, schema);
    }

    static InstancesHeader header(FeatureSchema schema) {
        List<Attribute> attributes = new ArrayList<>();
        for (FeatureSpec feature : schema.features()) {
            attributes.add(attribute(feature));
        }
        attributes.add(attribute(schema.target()));
        Instances instances = new Instances(schema.model(), attributes, 0);
        instances.setClassIndex(attributes.size() - 1);
        return new InstancesHeader(instances);
    }

    private static Attribute attribute(FeatureSpec feature) {
        return feature.isNominal() ? new Attribute(feature.name(), feature.values()) : new Attribute(feature.name());
    }

    Classifier classifier() {
        return classifier;
    }

    @Override
    public Prediction predict(double[] features) {
        if (classCount == 0) {
            return Prediction.regression(regressionValue(instance(features, Double.NaN)));
        }
        // MOA's evaluators take the arg-max of the raw votes (first index on ties, 0 when there are none).
        return ShardVotes.prediction(votes(features), classCount);
    }

    @Override
    public double[] votes(double[] features) {
        return classifier.getVotesForInstance(instance(features, Double.NaN));
    }

    /**
     * Asked the way MOA's {@code EvaluatePrequentialRegression} asks, through {@code getPredictionForInstance}: a rule
     * set answers {@code null} and a linear model no votes before their first instance, and MOA's regression evaluator
     * leaves such an instance unscored. So do we: {@code NaN} means no prediction.
     */
    private double regressionValue(Instance instance) {
        com.yahoo.labs.samoa.instances.Prediction prediction = classifier.getPredictionForInstance(instance);
        double[] votes = prediction == null ? null : prediction.getVotes(0);
        return votes == null || votes.length == 0 ? Double.NaN : votes[0];
    }

    @Override
    public void learn(double[] features, double label) {
        classifier.trainOnInstance(instance(features, label));
    }

    @Override
    public byte[] snapshot() {
        return SafeSerialization.serialize(classifier);
    }

    @Override
    public String spec() {
        return spec;
    }

    private Instance instance(double[] features, double label) {
        return instance(header, features, label);
    }

    /** An instance on {@code header}: the features, then the target value ({@code NaN} when unknown). */
    static Instance instance(InstancesHeader header, double[] features, double label) {
        double[] values = Arrays.copyOf(features, features.length + 1);
        values[features.length] = label;
        Instance instance = new DenseInstance(1.0, values);
        instance.setDataset(header);
        return instance;
    }
}

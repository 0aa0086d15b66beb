package io.streamlearn.core.learn;

import com.github.javacliparser.ClassOption;
import io.streamlearn.core.features.FeaturePipeline;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.Task;
import java.util.List;
import java.util.ServiceLoader;
import moa.classifiers.Classifier;
import moa.classifiers.Regressor;

/**
 * Builds learners from MOA CLI specifications ({@code trees.HoeffdingTree -g 100}) and restores snapshots, those of
 * other libraries through their {@link LearnerProvider}.
 */
public final class LearnerFactory {

    private static final List<LearnerProvider> PROVIDERS = ServiceLoader.load(LearnerProvider.class).stream()
            .map(ServiceLoader.Provider::get).toList();

    public static final String DEFAULT_SPEC = "trees.HoeffdingTree";
    public static final String DEFAULT_REGRESSION_SPEC = "trees.FIMTDD";

    private LearnerFactory() {
    }

    /**
     * The spec given, or when none is ({@code null}) the default for the task: a Hoeffding tree for classes, FIMT-DD
     * (a Hoeffding model tree) for values.
     */
    public static String specOrDefault(String spec, Task task) {
        if (spec != null) {
            return spec;
        }
        return task == Task.REGRESSION ? DEFAULT_REGRESSION_SPEC : DEFAULT_SPEC;
    }

    /**
     * @throws IllegalArgumentException when the spec names no MOA learner, has bad options, or does not fit the
     *                                  schema's task (a classifier for a numeric target or the reverse)
     */
    public static OnlineLearner create(String spec, FeatureSchema schema) {
        if (provider(spec) != null) {
            throw new IllegalArgumentException("learner '" + spec + "' is a batch model: it is trained by the "
                    + "retrainer on a labelled window, not online");
        }
        Classifier classifier;
        try {
            classifier = (Classifier) ClassOption.cliStringToObject(spec, Classifier.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid learner spec '" + spec + "': " + e.getMessage(), e);
        }
        checkTask(spec, classifier, schema);
        FeaturePipeline pipeline = FeaturePipeline.of(schema);
        classifier.prepareForUse();
        classifier.resetLearning();
        MoaLearner learner = new MoaLearner(spec, classifier, pipeline.outputSchema());
        return pipeline.isIdentity() ? learner : new PipelineLearner(pipeline, learner);
    }

    /** A learner equal to the one whose {@link OnlineLearner#snapshot()} gave these bytes, pipeline included. */
    public static OnlineLearner restore(String spec, FeatureSchema schema, byte[] snapshot) {
        LearnerProvider provider = provider(spec);
        if (provider != null) {
            return provider.restore(spec, schema, snapshot);
        }
        if (schema.transforms().isEmpty()) {
            return new MoaLearner(spec, SafeSerialization.deserialize(snapshot, Classifier.class), schema);
        }
        PipelineLearner.State state = SafeSerialization.deserialize(snapshot, PipelineLearner.State.class);
        Classifier classifier = SafeSerialization.deserialize(state.learner(), Classifier.class);
        return new PipelineLearner(state.pipeline(),
                new MoaLearner(spec, classifier, state.pipeline().outputSchema()));
    }

    private static LearnerProvider provider(String spec) {
        for (LearnerProvider provider : PROVIDERS) {
            if (provider.owns(spec)) {
                return provider;
            }
        }
        return null;
    }

    private static void checkTask(String spec, Classifier classifier, FeatureSchema schema) {
        boolean regressor = classifier instanceof Regressor;
        boolean nominalTarget = schema.target().isNominal();
        if (nominalTarget && regressor && !isAlsoClassifier(classifier)) {
            throw new IllegalArgumentException("learner '" + spec + "' is a regressor but target '"
                    + schema.target().name() + "' is nominal");
        }
        if (!nominalTarget && !regressor) {
            throw new IllegalArgumentException("learner '" + spec + "' is a classifier but target '"
                    + schema.target().name() + "' is numeric");
        }
    }

    /** Some MOA learners (e.g. rule sets) implement both roles; only a pure regressor is refused for classes. */
    private static boolean isAlsoClassifier(Classifier classifier) {
        return classifier instanceof moa.classifiers.MultiClassClassifier;
    }
}

package io.streamlearn.core.learn;

import com.github.javacliparser.ClassOption;
import io.streamlearn.core.features.FeaturePipeline;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.Task;
import java.util.List;
import java.util.ServiceLoader;
import moa.classifiers.Classifier;
import moa.clusterers.Clusterer;
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
    /** Half-Space Trees (Tan, Ting and Liu, IJCAI 2011), 25 trees of depth 10 (MOA's default depth 15 makes 25 × 2^16
     * nodes: seconds to build and megabytes per snapshot); expects features scaled to [0, 1]. */
    public static final String DEFAULT_ANOMALY_SPEC = "oneclass.HSTrees -t 25 -h 10";
    /** CluStream's micro-clusters with a k-means macro-clustering (Aggarwal et al., VLDB 2003). */
    public static final String DEFAULT_CLUSTER_SPEC = "clustream.WithKmeans -k 3";

    private LearnerFactory() {
    }

    /**
     * The spec given, or when none is ({@code null}) the default for the task: a Hoeffding tree for classes, FIMT-DD
     * (a Hoeffding model tree) for values, Half-Space Trees for anomalies, CluStream for clusters.
     */
    public static String specOrDefault(String spec, Task task) {
        if (spec != null) {
            return spec;
        }
        return switch (task) {
            case CLASSIFICATION -> DEFAULT_SPEC;
            case REGRESSION -> DEFAULT_REGRESSION_SPEC;
            case ANOMALY -> DEFAULT_ANOMALY_SPEC;
            case CLUSTER -> DEFAULT_CLUSTER_SPEC;
        };
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
        FeaturePipeline pipeline = FeaturePipeline.of(schema);
        OnlineLearner learner = switch (schema.task()) {
            case ANOMALY -> MoaAnomalyDetector.fresh(spec, detector(spec), pipeline.outputSchema());
            case CLUSTER -> new MoaClusterer(spec, clusterer(spec), pipeline.outputSchema());
            default -> supervised(spec, schema, pipeline);
        };
        return pipeline.isIdentity() ? learner : new PipelineLearner(pipeline, learner);
    }

    private static OnlineLearner supervised(String spec, FeatureSchema schema, FeaturePipeline pipeline) {
        Classifier classifier;
        try {
            classifier = (Classifier) ClassOption.cliStringToObject(spec, Classifier.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid learner spec '" + spec + "': " + e.getMessage(), e);
        }
        checkTask(spec, classifier, schema);
        classifier.prepareForUse();
        classifier.resetLearning();
        return MoaLearner.fresh(spec, classifier, pipeline.outputSchema());
    }

    /**
     * Shard {@code shard} of {@code shards} of the ensemble {@code spec} ({@link EnsembleShards}): it learns as its
     * members would and predicts their raw votes as scores.
     */
    public static OnlineLearner createShard(String spec, FeatureSchema schema, int shard, int shards) {
        EnsembleShards.check(spec, schema, shards);
        FeaturePipeline pipeline = FeaturePipeline.of(schema);
        Classifier classifier = EnsembleShards.shardClassifier(spec, shard, shards);
        classifier.prepareForUse();
        classifier.resetLearning();
        OnlineLearner members = MoaLearner.fresh(spec, classifier, pipeline.outputSchema());
        return new VotingShard(pipeline.isIdentity() ? members : new PipelineLearner(pipeline, members));
    }

    /** A shard as its {@link OnlineLearner#snapshot()} left it. */
    public static OnlineLearner restoreShard(String spec, FeatureSchema schema, byte[] snapshot) {
        return new VotingShard(restore(spec, schema, snapshot));
    }

    /** The trainer-side learner of a sharded model, which turns its shards' summed votes into predictions. */
    public static OnlineLearner createCombiner(String spec, FeatureSchema schema) {
        return new VoteCombiner(spec, schema.target().values().size());
    }

    public static OnlineLearner restoreCombiner(String spec, byte[] snapshot) {
        return VoteCombiner.restore(spec, snapshot);
    }

    private static Classifier detector(String spec) {
        Classifier detector;
        try {
            detector = (Classifier) ClassOption.cliStringToObject(spec, Classifier.class, null);
        } catch (Exception | LinkageError e) {
            // LinkageError: a learner needing a library the MOA dependency excludes (Autoencoder: commons-math3).
            throw new IllegalArgumentException("invalid anomaly detector spec '" + spec + "': " + e.getMessage(), e);
        }
        detector.prepareForUse();
        detector.resetLearning();
        return detector;
    }

    private static Clusterer clusterer(String spec) {
        Clusterer clusterer;
        try {
            clusterer = (Clusterer) ClassOption.cliStringToObject(spec, Clusterer.class, null);
        } catch (Exception | LinkageError e) {
            throw new IllegalArgumentException("invalid clusterer spec '" + spec
                    + "' (MOA stream clusterers: clustream.WithKmeans -k 3, clustree.ClusTree, ...): " + e.getMessage(), e);
        }
        clusterer.prepareForUse();
        clusterer.resetLearning();
        return clusterer;
    }

    /** A learner equal to the one whose {@link OnlineLearner#snapshot()} gave these bytes, pipeline included. */
    public static OnlineLearner restore(String spec, FeatureSchema schema, byte[] snapshot) {
        LearnerProvider provider = provider(spec);
        if (provider != null) {
            return provider.restore(spec, schema, snapshot);
        }
        if (schema.transforms().isEmpty()) {
            return restoreBare(spec, schema, schema, snapshot);
        }
        PipelineLearner.State state = SafeSerialization.deserialize(snapshot, PipelineLearner.State.class);
        return new PipelineLearner(state.pipeline(),
                restoreBare(spec, schema, state.pipeline().outputSchema(), state.learner()));
    }

    private static OnlineLearner restoreBare(String spec, FeatureSchema schema, FeatureSchema learnerSchema,
            byte[] snapshot) {
        return switch (schema.task()) {
            case ANOMALY -> MoaAnomalyDetector.restored(spec,
                    SafeSerialization.deserialize(snapshot, Classifier.class), learnerSchema);
            case CLUSTER -> new MoaClusterer(spec,
                    SafeSerialization.deserialize(snapshot, MoaClusterer.State.class), learnerSchema);
            default -> MoaLearner.restored(spec, SafeSerialization.deserialize(snapshot, Classifier.class),
                    learnerSchema);
        };
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

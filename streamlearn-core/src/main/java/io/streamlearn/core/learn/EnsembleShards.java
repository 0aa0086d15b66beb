package io.streamlearn.core.learn;

import com.github.javacliparser.ClassOption;
import com.github.javacliparser.IntOption;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.Task;
import java.util.List;
import moa.classifiers.Classifier;

/**
 * How an ensemble is split into shards that learn in parallel: shard {@code j} of {@code n} holds
 * {@code members / n} of the members (one more for the first {@code members % n}), learns from every event, and
 * answers with its members' raw votes; the sum of the shards' votes is the ensemble's vote.
 *
 * <p>Only ensembles whose members learn independently given the data and whose vote is a sum over members can be
 * split so: online bagging ({@code meta.OzaBag}, {@code meta.OzaBagAdwin}), {@code meta.AdaptiveRandomForest} and
 * {@code meta.StreamingRandomPatches}. Boosting (members learn from each other's mistakes) and leveraging bagging (a
 * member's drift resets the worst other member) cannot. What differs from the unsharded ensemble is the random
 * stream: MOA draws every member's Poisson weights (and, for random patches, subspaces) from one generator seeded 1;
 * shard {@code j} draws its members' from its own generator seeded {@code 1 + j}. With one shard the learner is
 * exactly MOA's; with more, members are drawn from the same distribution, only not the same draws.
 */
public final class EnsembleShards {

    /** The ensembles that can be split by members, by MOA class name. */
    public static final List<String> SPLITTABLE = List.of("moa.classifiers.meta.AdaptiveRandomForest",
            "moa.classifiers.meta.OzaBag", "moa.classifiers.meta.OzaBagAdwin",
            "moa.classifiers.meta.StreamingRandomPatches");
    /** More shards than this would spend more on fan-out than the members they split. */
    public static final int MAX_SHARDS = 256;
    /** MOA's default random seed, which its CLI cannot change for these ensembles (no {@code -r} option). */
    static final int MOA_SEED = 1;

    private EnsembleShards() {
    }

    /**
     * @throws IllegalArgumentException when the learner cannot be split into {@code shards} (not a splittable
     *         ensemble, not classification, fewer members than shards)
     */
    public static void check(String spec, FeatureSchema schema, int shards) {
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("model '" + schema.model() + "': shards must be 1 to " + MAX_SHARDS
                    + ", not " + shards);
        }
        if (schema.task() != Task.CLASSIFICATION) {
            throw new IllegalArgumentException("model '" + schema.model() + "': only classification ensembles can be "
                    + "sharded (the task is " + schema.task().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        int members = members(spec);
        if (members < shards) {
            throw new IllegalArgumentException("model '" + schema.model() + "': learner '" + spec + "' has "
                    + members + " members, fewer than its " + shards + " shards");
        }
    }

    /** The number of members of the ensemble {@code spec} names. */
    public static int members(String spec) {
        return ensembleSize(parse(spec)).getValue();
    }

    /** How many of {@code members} shard {@code shard} of {@code shards} holds. */
    public static int membersOf(int members, int shards, int shard) {
        return members / shards + (shard < members % shards ? 1 : 0);
    }

    /** The classifier of one shard, not yet prepared: its share of the members, and its own random seed. */
    static Classifier shardClassifier(String spec, int shard, int shards) {
        Classifier classifier = parse(spec);
        if (shards > 1) {
            IntOption size = ensembleSize(classifier);
            size.setValue(membersOf(size.getValue(), shards, shard));
            classifier.setRandomSeed(MOA_SEED + shard);
        }
        return classifier;
    }

    private static Classifier parse(String spec) {
        Classifier classifier;
        try {
            classifier = (Classifier) ClassOption.cliStringToObject(spec, Classifier.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid learner spec '" + spec + "': " + e.getMessage(), e);
        }
        if (!SPLITTABLE.contains(classifier.getClass().getName())) {
            throw new IllegalArgumentException("learner '" + spec + "' cannot be sharded: only ensembles whose "
                    + "members learn independently can (" + String.join(", ", SPLITTABLE.stream()
                            .map(name -> name.substring("moa.classifiers.".length())).toList()) + ")");
        }
        return classifier;
    }

    private static IntOption ensembleSize(Classifier classifier) {
        try {
            return (IntOption) classifier.getClass().getField("ensembleSizeOption").get(classifier);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(classifier.getClass().getName() + " has no ensembleSizeOption", e);
        }
    }
}

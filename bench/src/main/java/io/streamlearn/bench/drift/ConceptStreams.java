package io.streamlearn.bench.drift;

import com.github.javacliparser.ClassOption;
import com.yahoo.labs.samoa.instances.Instance;
import java.util.function.LongFunction;
import moa.classifiers.Classifier;
import moa.classifiers.bayes.NaiveBayes;
import moa.core.Utils;
import moa.options.OptionHandler;
import moa.streams.ExampleStream;
import moa.streams.InstanceStream;

/**
 * Streams with a known change point built from MOA's generators, and the prequential 0/1 error of naive Bayes on
 * them (predict, then learn: what the trainer's predictions joined with labels give the concept monitor). Every spec
 * takes the seed, so runs repeat exactly.
 */
final class ConceptStreams {

    /** A named family of streams: the spec of one seed's stream with its change at {@code position}. */
    record Family(String name, boolean gradual, Spec withChange, LongFunction<String> stationary) {
    }

    @FunctionalInterface
    interface Spec {
        String of(long seed, int position);
    }

    private ConceptStreams() {
    }

    /** Abrupt (width 1) unless the width is given; {@code ConceptDriftStream}'s sigmoid is centred on the position. */
    private static String drift(String before, String after, int position, int width, long seed) {
        return "ConceptDriftStream -s (" + before + ") -d (" + after + ") -p " + position + " -w " + width + " -r "
                + seed;
    }

    static final Family SEA = new Family("SEA, function 3 to 4, abrupt", false,
            (seed, p) -> drift("generators.SEAGenerator -f 3 -i " + seed, "generators.SEAGenerator -f 4 -i " + seed,
                    p, 1, seed),
            seed -> "generators.SEAGenerator -f 3 -i " + seed);
    static final Family AGRAWAL = new Family("Agrawal, function 1 to 5, abrupt", false,
            (seed, p) -> drift("generators.AgrawalGenerator -f 1 -i " + seed,
                    "generators.AgrawalGenerator -f 5 -i " + seed, p, 1, seed),
            seed -> "generators.AgrawalGenerator -f 1 -i " + seed);
    static final Family HYPERPLANE = new Family("Hyperplane, new plane, abrupt", false,
            (seed, p) -> drift("generators.HyperplaneGenerator -i " + seed,
                    "generators.HyperplaneGenerator -i " + (seed + 1000), p, 1, seed),
            seed -> "generators.HyperplaneGenerator -i " + seed);
    static final Family RBF = new Family("RandomRBF, to moving centroids of a new model, abrupt", false,
            (seed, p) -> drift("generators.RandomRBFGenerator -r " + seed + " -i " + seed,
                    "generators.RandomRBFGeneratorDrift -s 0.001 -r " + (seed + 1000) + " -i " + seed, p, 1, seed),
            seed -> "generators.RandomRBFGenerator -r " + seed + " -i " + seed);
    static final Family SEA_GRADUAL = new Family("SEA, function 3 to 4, gradual (width 2,000)", true,
            (seed, p) -> drift("generators.SEAGenerator -f 3 -i " + seed, "generators.SEAGenerator -f 4 -i " + seed,
                    p, 2000, seed),
            seed -> "generators.SEAGenerator -f 3 -i " + seed);
    static final Family AGRAWAL_GRADUAL = new Family("Agrawal, function 1 to 5, gradual (width 2,000)", true,
            (seed, p) -> drift("generators.AgrawalGenerator -f 1 -i " + seed,
                    "generators.AgrawalGenerator -f 5 -i " + seed, p, 2000, seed),
            seed -> "generators.AgrawalGenerator -f 1 -i " + seed);

    static boolean[] prequentialErrors(String spec, int length) {
        InstanceStream stream;
        try {
            stream = (InstanceStream) ClassOption.cliStringToObject(spec, ExampleStream.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException(spec, e);
        }
        ((OptionHandler) stream).prepareForUse();
        Classifier learner = new NaiveBayes();
        learner.setModelContext(stream.getHeader());
        learner.prepareForUse();
        boolean[] wrong = new boolean[length];
        for (int i = 0; i < length; i++) {
            Instance instance = stream.nextInstance().getData();
            wrong[i] = Utils.maxIndex(learner.getVotesForInstance(instance)) != (int) instance.classValue();
            learner.trainOnInstance(instance);
        }
        return wrong;
    }
}

package io.streamlearn.drift.concept;

import com.github.javacliparser.ClassOption;
import com.yahoo.labs.samoa.instances.Instance;
import moa.classifiers.Classifier;
import moa.classifiers.bayes.NaiveBayes;
import moa.core.Utils;
import moa.streams.ExampleStream;
import moa.streams.InstanceStream;

/** Prequential 0/1 error streams of naive Bayes on MOA generator streams (fixed seeds, so they repeat exactly). */
final class ErrorStreams {

    private ErrorStreams() {
    }

    /**
     * @param streamSpec a MOA stream spec, e.g. {@code ConceptDriftStream -s (generators.SEAGenerator -f 2) ...}
     */
    static double[] prequential(String streamSpec, int length) {
        InstanceStream stream;
        try {
            stream = (InstanceStream) ClassOption.cliStringToObject(streamSpec, ExampleStream.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException(streamSpec, e);
        }
        ((moa.options.OptionHandler) stream).prepareForUse();
        Classifier learner = new NaiveBayes();
        learner.setModelContext(stream.getHeader());
        learner.prepareForUse();
        double[] errors = new double[length];
        for (int i = 0; i < length; i++) {
            Instance instance = stream.nextInstance().getData();
            int predicted = Utils.maxIndex(learner.getVotesForInstance(instance));
            errors[i] = predicted == (int) instance.classValue() ? 0 : 1;
            learner.trainOnInstance(instance);
        }
        return errors;
    }
}

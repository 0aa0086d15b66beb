package io.streamlearn.serve;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The score of every declared class of a prediction, in declaration order, as an immutable map over the class list
 * and the learner's score array: a batch answer holds one per instance, and a hash map each (with boxed scores) was
 * a visible part of its cost. Writers that know this type read {@link #score(int)} without boxing.
 */
public final class ClassScores extends AbstractMap<String, Double> {

    /** The scores of a prediction that has none: regression, anomaly scores, clusters. */
    public static final ClassScores NONE = new ClassScores(List.of(), new double[0]);

    private final List<String> classes;
    private final double[] scores;

    /** @param scores the learner's scores by class index; a class beyond its length scores 0 */
    ClassScores(List<String> classes, double[] scores) {
        this.classes = classes;
        this.scores = scores;
    }

    public int size() {
        return classes.size();
    }

    public String label(int index) {
        return classes.get(index);
    }

    public double score(int index) {
        return index < scores.length ? scores[index] : 0.0;
    }

    @Override
    public Double get(Object label) {
        int index = classes.indexOf(label);
        return index < 0 ? null : score(index);
    }

    @Override
    public boolean containsKey(Object label) {
        return classes.contains(label);
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < classes.size();
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int index = next++;
                        return Map.entry(label(index), score(index));
                    }
                };
            }

            @Override
            public int size() {
                return classes.size();
            }
        };
    }
}

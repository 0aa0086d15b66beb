package io.streamlearn.core.data;

import com.yahoo.labs.samoa.instances.ArffLoader;
import com.yahoo.labs.samoa.instances.Instance;
import java.io.Reader;

/**
 * MOA's {@link ArffLoader} unchanged, plus what a clear error needs: the line a row starts on and how many values a
 * dense row gave. MOA leaves the values a short dense row lacks at 0 (the first value of a nominal attribute), so
 * {@link ArffReader} refuses such a row instead.
 */
final class CountingArffLoader extends ArffLoader {

    private int rowLine;
    private int denseValues = -1;

    CountingArffLoader(Reader reader) {
        super(reader);
    }

    /** The line the last row started on (1-based). */
    int rowLine() {
        return rowLine;
    }

    /** The line the loader is on now, where a failure happened. */
    int line() {
        return streamTokenizer.lineno();
    }

    /** How many values the last row gave if it was dense; -1 for a sparse row. */
    int denseValues() {
        return denseValues;
    }

    @Override
    protected Instance newDenseInstance(int numberAttributes) {
        rowLine = streamTokenizer.lineno();
        denseValues = 0;
        return super.newDenseInstance(numberAttributes);
    }

    @Override
    protected Instance newSparseInstance(double weight) {
        rowLine = streamTokenizer.lineno();
        denseValues = -1;
        return super.newSparseInstance(weight);
    }

    @Override
    protected void setValue(Instance instance, int attribute, double value, boolean isNumber) {
        denseValues++;
        super.setValue(instance, attribute, value, isNumber);
    }
}

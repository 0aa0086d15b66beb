package io.streamlearn.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import moa.evaluation.preview.LearningCurve;
import moa.tasks.EvaluatePrequential;
import moa.tasks.NullMonitor;

/**
 * The correctness oracle: MOA's own {@code EvaluatePrequential} task over MOA's own {@code ArffFileStream}, with the
 * basic (cumulative) evaluator. Nothing of ours runs in it.
 */
public final class MoaReference {

    private MoaReference() {
    }

    /** What MOA's prequential task reports at the end of the stream: instances seen and how many were correct. */
    public record Score(long instances, long correct) {
    }

    /**
     * @param arffGz  a gzip-compressed ARFF file (MOA reads only plain files, so it is unpacked into {@code workDir})
     * @param learner a MOA CLI spec such as {@code trees.HoeffdingTree}
     */
    public static Score prequential(Path arffGz, String learner, Path workDir) throws Exception {
        Path arff = gunzip(arffGz, workDir.resolve("reference.arff"));
        EvaluatePrequential task = new EvaluatePrequential();
        task.getOptions().setViaCLIString("-s (ArffFileStream -f " + arff + ") -l (" + learner
                + ") -e BasicClassificationPerformanceEvaluator");
        task.prepareForUse();
        LearningCurve curve = (LearningCurve) task.doTask(new NullMonitor(), null);
        int last = curve.numEntries() - 1;
        double instances = curve.getMeasurement(last, measurement(curve, "learning evaluation instances"));
        double percent = curve.getMeasurement(last, measurement(curve, "classifications correct (percent)"));
        return new Score(Math.round(instances), Math.round(percent * instances / 100.0));
    }

    private static int measurement(LearningCurve curve, String name) {
        for (int i = 0; i < curve.getMeasurementNameCount(); i++) {
            if (curve.getMeasurementName(i).equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("MOA's learning curve has no measurement '" + name + "'");
    }

    private static Path gunzip(Path gz, Path target) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
        return target;
    }
}

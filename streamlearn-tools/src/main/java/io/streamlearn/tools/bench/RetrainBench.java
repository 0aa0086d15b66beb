package io.streamlearn.tools.bench;

import io.streamlearn.batch.LabeledWindow;
import io.streamlearn.batch.RetrainOutcome;
import io.streamlearn.batch.RetrainPipeline;
import io.streamlearn.batch.RetrainSettings;
import io.streamlearn.batch.TrialListener;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The cost of a tuned retrain against one plain fit on the same rows (issue #5's target: within 10×), on the
 * settings' device; the table names the device every fit's own booster reported.
 */
public final class RetrainBench {

    /** One line of the table. */
    public record Result(String data, int rows, int columns, long oneFitMillis, RetrainOutcome outcome) {

        public double ratio() {
            return outcome.durations().totalMillis() / (double) oneFitMillis;
        }
    }

    private RetrainBench() {
    }

    /** A seeded Agrawal stream (function 5, 5 % label noise): 9 features, 3 of them nominal. */
    public static LabeledWindow agrawal(int rows, long seed) {
        return LabeledStream.moa("agrawal", "generators.AgrawalGenerator -f 5 -p 0.05 -i " + seed, rows)
                .window(0, rows);
    }

    public static Result run(LabeledWindow window, RetrainSettings settings) {
        RetrainPipeline pipeline = new RetrainPipeline(settings);
        long oneFit = pipeline.timeOneFit(window);
        RetrainOutcome outcome = pipeline.run(window, List.of(), TrialListener.none());
        return new Result(window.schema().model(), window.size(), window.schema().features().size(), oneFit, outcome);
    }

    public static String markdown(Result result, RetrainSettings settings) {
        RetrainOutcome o = result.outcome();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s, XGBoost4J, device %s (fits by the device "
                        + "their boosters name: %s), nthread %d; %,d rows × %d "
                        + "features (%s), settings: %d trials, halving %d, max %d rounds, early stopping %d, %d CV folds.%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                settings.device(), o.device().fits(), settings.nthread(), result.rows(), result.columns(), result.data(), settings.trials(),
                settings.halving(), settings.maxRounds(), settings.earlyStopping(), settings.cvFolds()));
        md.append("| one fit (s) | tuned run (s) | ratio | search (s) | CV (s) | final fit (s) | evaluation (s) | "
                + "trials | rounds | test accuracy | linear baseline |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %.2f | %.2f | **%.1f×** | %.2f | %.2f | %.2f | %.2f | %d | %d | %.4f | %.4f |%n",
                result.oneFitMillis() / 1000.0, o.durations().totalMillis() / 1000.0, result.ratio(),
                o.durations().searchMillis() / 1000.0, o.durations().crossValidationMillis() / 1000.0,
                o.durations().fitMillis() / 1000.0, o.durations().evaluationMillis() / 1000.0, o.trials().size(),
                o.bestRounds(), o.testScores().get(RetrainPipeline.CHALLENGER).accuracy(),
                o.testScores().get(RetrainPipeline.LINEAR_BASELINE).accuracy()));
        return md.toString();
    }
}

package io.streamlearn.tools.bench;

import io.streamlearn.batch.RetrainSettings;
import io.streamlearn.core.data.Dataset;
import java.time.LocalDate;
import java.util.Locale;

/** Runs {@link PostDriftBench} on Electricity and on a seeded abrupt-drift Agrawal stream and writes Markdown. */
public final class PostDriftReport {

    /** Agrawal classification functions in turn; each switch is abrupt ({@code -w 1}). */
    private static final int[] FUNCTIONS = {1, 3, 5, 7};

    private PostDriftReport() {
    }

    public static String markdown(PostDriftBench bench, Dataset electricity, int driftEvery, int collect, int delay,
            String learner, RetrainSettings settings) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s; online learner `%s`; ADWIN on the served "
                        + "model's 0/1 errors; retrain on the %d labelled events after a detection, winner served %d events later; "
                        + "%d trials, max %d rounds, no CV.%n%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), learner, collect, delay,
                settings.trials(), settings.maxRounds()));
        int events = driftEvery * FUNCTIONS.length;
        LabeledStream agrawal = LabeledStream.moa("agrawal-drift", agrawalSpec(driftEvery), events);
        int[] drifts = new int[FUNCTIONS.length - 1];
        for (int i = 0; i < drifts.length; i++) {
            drifts[i] = driftEvery * (i + 1);
        }
        section(md, bench.run(agrawal, drifts, 5000), "events after each abrupt drift (Agrawal functions 1→3→5→7)");
        section(md, bench.run(LabeledStream.of(electricity), null, 2000), "2,000 events after each retrain's window (Electricity has "
                + "no labelled drift points)");
        return md.toString();
    }

    /** Nested {@code ConceptDriftStream}s: function 1, then 3, 5, 7, each switching abruptly at its position. */
    static String agrawalSpec(int driftEvery) {
        String spec = "generators.AgrawalGenerator -f " + FUNCTIONS[FUNCTIONS.length - 1] + " -i 4";
        for (int i = FUNCTIONS.length - 2; i >= 0; i--) {
            spec = "ConceptDriftStream -s (generators.AgrawalGenerator -f " + FUNCTIONS[i] + " -i " + (i + 1)
                    + ") -d (" + spec + ") -p " + driftEvery + " -w 1";
        }
        return spec;
    }

    private static void section(StringBuilder md, PostDriftBench.Result result, String segments) {
        md.append(String.format(Locale.ROOT, "### %s, %,d events%n%n", result.stream(), result.events()));
        md.append(String.format(Locale.ROOT, "Whole stream: online alone **%.4f**, with retraining **%.4f**.%n%n",
                result.onlineAccuracy(), result.servedAccuracy()));
        md.append("Accuracy over the ").append(segments).append(":\n\n| from | to | online alone | with retraining |\n"
                + "|---:|---:|---:|---:|\n");
        for (PostDriftBench.Segment segment : result.segments()) {
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %.4f | %.4f |%n", segment.from(), segment.to(),
                    segment.online(), segment.served()));
        }
        md.append("\nRetrains:\n\n| detected at | window | challenger error | online error | promoted | served | "
                + "seconds |\n|---:|---|---:|---:|---|---|---:|\n");
        for (PostDriftBench.Retrain retrain : result.retrains()) {
            md.append(String.format(Locale.ROOT, "| %,d | %,d–%,d | %.4f | %.4f | %s | %s | %.1f |%n",
                    retrain.detectedAt(), retrain.from(), retrain.to(), retrain.challengerError(),
                    retrain.onlineError(), retrain.promoted() ? "yes" : "no",
                    retrain.failure() == null ? retrain.served() : "failed: " + retrain.failure(),
                    retrain.millis() / 1000.0));
        }
        md.append('\n');
    }
}

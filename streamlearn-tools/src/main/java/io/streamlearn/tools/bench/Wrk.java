package io.streamlearn.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code wrk} load generator (Debian package {@code wrk}) for a bounded time, after a warm-up run of the same
 * length whose figures are discarded, and reads its report.
 *
 * @param threads     wrk threads
 * @param connections open connections
 * @param seconds     duration of the measured run
 */
public record Wrk(int threads, int connections, int seconds) {

    /** What one run measured. */
    public record Report(double requestsPerSecond, double p50Ms, double p99Ms, long non2xx, String text) {
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    public Report run(String url, Path script) throws IOException, InterruptedException {
        execute(url, script);
        String text = execute(url, script);
        Matcher rate = RATE.matcher(text);
        if (!rate.find()) {
            throw new IllegalStateException("wrk reported no rate:\n" + text);
        }
        Matcher non2xx = NON_2XX.matcher(text);
        return new Report(Double.parseDouble(rate.group(1)), percentile(text, "50%"), percentile(text, "99%"),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, text);
    }

    private String execute(String url, Path script) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds
                + "s", "--latency", "-s", script.toString(), url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed (is it installed? apt-get install wrk):\n" + text);
        }
        return text;
    }

    /** A latency percentile line of {@code --latency}, e.g. {@code 99%    2.10ms}, in milliseconds. */
    private static double percentile(String text, String label) {
        Matcher line = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)").matcher(text);
        if (!line.find()) {
            throw new IllegalStateException("wrk reported no " + label + " latency:\n" + text);
        }
        double value = Double.parseDouble(line.group(1));
        return switch (line.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            default -> value * 1000;
        };
    }
}

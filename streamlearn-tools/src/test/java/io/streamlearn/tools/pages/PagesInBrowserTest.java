package io.streamlearn.tools.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.tools.StreamlearnTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's three pages (report.html, drift.html, runs.html), written by a short real demo on Electricity with two
 * learners, laid out by headless Chromium as a user's browser would: every chart has its axes and ticks, no legend
 * item overlaps another or the plot, no text overlaps another, and the drift statistics print what exists and only
 * that. Then the screenshots command shoots them. Chromium must be installed ({@code bin/test} installs it): without
 * it the test fails saying so, it does not skip.
 */
class PagesInBrowserTest {

    @TempDir
    static Path out;

    private static HeadlessChromium chromium;

    @BeforeAll
    static void runAShortDemo() {
        chromium = HeadlessChromium.find();
        int exit = StreamlearnTools.commandLine().execute("demo", "--events", "9000", "--learner",
                "trees.HoeffdingTree", "--learner", "bayes.NaiveBayes", "--port", "0", "--exit", "--out",
                out.resolve("demo").toString());
        assertThat(exit).isZero();
    }

    @Test
    void theDemoReportShowsCurvesWithAxesMarkersPerClassRunsAndTheComparison() throws Exception {
        PageLayout page = chromium.layout(out.resolve("demo/report.html"));

        Map<String, PageLayout.Chart> charts = byTitle(page);
        assertThat(charts).containsKeys("Prequential learning curve", "Per-class scores", "Learners compared");
        PageLayout.Chart curve = charts.get("Prequential learning curve");
        assertThat(curve.legend()).contains("accuracy, cumulative", "accuracy, last 1000", "kappa, cumulative")
                .anySatisfy(item -> assertThat(item).startsWith("drift alert ("))
                .as("the retraining runs, promoted or not, are marked too")
                .anySatisfy(item -> assertThat(item).matches("(promoted version|retrained, not promoted) \\(\\d+\\)"));
        assertThat(curve.markers()).as("drift alerts and retraining runs marked on the curve").isGreaterThan(1);
        assertThat(charts.get("Learners compared").legend()).containsExactly("trees.HoeffdingTree", "bayes.NaiveBayes");
        assertThat(Files.readString(out.resolve("demo/report.html"))).contains("<h2>Retraining runs</h2>",
                "class=\"runs\"", "<h2>Drift alerts</h2>", "<h2>Per class</h2>");
        assertReadable(page);
    }

    @Test
    void theDriftPageShowsHistogramsWithEdgesHistoriesAndPValuesOnlyOnTests() throws Exception {
        PageLayout page = chromium.layout(out.resolve("demo/drift.html"));

        Map<String, PageLayout.Chart> charts = byTitle(page);
        assertThat(charts).containsKeys("nswprice: share of records per bin", "nswprice: effect size by window",
                "day: share of records per bin");
        PageLayout.Chart histogram = charts.get("nswprice: share of records per bin");
        assertThat(histogram.axisTitles()).contains("bin edges (outer bins open)");
        assertThat(histogram.xTicks()).allSatisfy(tick -> assertThat(tick).matches("-?[0-9.e+-]+"));
        assertThat(charts.get("nswprice: effect size by window").legend())
                .contains("psi", "wasserstein", "threshold 0.1000");
        assertThat(page.statistics()).isNotEmpty().allSatisfy(row -> {
            assertThat(row.value()).as(row.name() + " value").isNotBlank();
            if (List.of("ks", "chi_square").contains(row.name())) {
                assertThat(row.pValue()).as(row.name() + " p-value").isNotBlank();
            } else {
                assertThat(row.pValue()).as(row.name() + " carries no p-value of its own").isEmpty();
            }
        });
        assertReadable(page);
    }

    @Test
    void theRunsPageShowsEachRunOnceWithChartedTrials() throws Exception {
        PageLayout page = chromium.layout(out.resolve("demo/runs.html"));

        assertThat(page.charts()).isNotEmpty().allSatisfy(chart -> {
            assertThat(chart.title()).startsWith("Trials: validation logloss");
            assertThat(chart.axisTitles()).contains("boosting round", "validation logloss");
            assertThat(chart.legend()).anySatisfy(item -> assertThat(item).endsWith("(best)"));
        });
        String html = Files.readString(out.resolve("demo/runs.html"));
        assertThat(html).contains("admin").doesNotContain("(1 alerts)");
        assertReadable(page);
    }

    @Test
    void theScreenshotsCommandShootsEachPage() throws Exception {
        Path shots = out.resolve("images");
        int exit = StreamlearnTools.commandLine().execute("screenshots", "--from", out.resolve("demo").toString(),
                "--out", shots.toString());

        assertThat(exit).isZero();
        for (String png : List.of("demo-report.png", "drift-report.png", "runs-page.png")) {
            byte[] bytes = Files.readAllBytes(shots.resolve(png));
            assertThat(bytes).as(png).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    /** What any page must satisfy: axes with ticks on every chart, nothing overlapping, no horizontal scrolling. */
    private static void assertReadable(PageLayout page) {
        assertThat(page.width()).as("no horizontal scroll bar at 1200 px").isLessThanOrEqualTo(HeadlessChromium.WIDTH);
        assertThat(page.charts()).isNotEmpty().allSatisfy(chart -> {
            assertThat(chart.xTicks()).as(chart.title() + ": x ticks").hasSizeGreaterThanOrEqualTo(2);
            assertThat(chart.yTicks()).as(chart.title() + ": y ticks").hasSizeGreaterThanOrEqualTo(3);
            assertThat(chart.axisTitles()).as(chart.title() + ": axis titles").hasSize(2);
            assertThat(chart.marks()).as(chart.title() + ": lines or bars").isPositive();
            assertThat(chart.legend()).as(chart.title() + ": legend").isNotEmpty();
            assertThat(chart.legendOverlaps()).as(chart.title() + ": legend items overlapping").isZero();
            assertThat(chart.legendOnPlot()).as(chart.title() + ": legend items over the plot").isZero();
            assertThat(chart.textOverlaps()).as(chart.title() + ": texts overlapping").isEmpty();
            assertThat(chart.textOutside()).as(chart.title() + ": texts outside the chart").isEmpty();
        });
    }

    private static Map<String, PageLayout.Chart> byTitle(PageLayout page) {
        return page.charts().stream().collect(Collectors.toMap(PageLayout.Chart::title, Function.identity(),
                (a, b) -> a));
    }
}

package io.streamlearn.drift.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The drift page on Electricity's real rows, as the monitor evaluates them. */
class DriftReportPageTest {

    private static final Pattern ROW = Pattern.compile("<tr data-statistic=\"([a-z_]+)\"><td>[^<]*</td><td>[^<]*</td>"
            + "<td class=\"num\">(.*?)</td><td class=\"num\">[^<]*</td><td class=\"num\">(.*?)</td></tr>");

    @Test
    void printsEveryValueAndPValuesOnlyForTestsOnElectricity() throws Exception {
        Dataset electricity = Dataset.read(BundledDatasets.electricityArff(), "electricity", null);
        FeatureDriftMonitor monitor = new FeatureDriftMonitor("electricity", DriftKind.FEATURE,
                MonitorSettings.DEFAULTS);
        LatestReports reports = new LatestReports();
        // vicprice, vicdemand and transfer are constant in Electricity's first 17,000 rows: a reference from there
        // against a later window gives an infinite normed Wasserstein distance.
        for (int i = 0; i < 5000; i++) {
            observe(monitor, reports, electricity.rows().get(i), i + 1);
        }
        for (int i = 30_000; i < 32_000; i++) {
            observe(monitor, reports, electricity.rows().get(i), i - 30_000 + 5001);
        }

        String html = DriftReportPage.render("electricity", reports);

        Matcher rows = ROW.matcher(html);
        int seen = 0;
        boolean infinite = false;
        while (rows.find()) {
            seen++;
            String name = rows.group(1);
            assertThat(rows.group(2)).as(name + " value").isNotBlank();
            infinite |= name.equals("wasserstein") && rows.group(2).startsWith("∞");
            if (name.equals("ks") || name.equals("chi_square")) {
                assertThat(rows.group(3)).as(name + " p-value").isNotBlank();
            } else {
                assertThat(rows.group(3)).as(name + " has no p-value of its own").isEmpty();
            }
        }
        assertThat(seen).isGreaterThan(30);
        assertThat(infinite).as("vicprice's distance from a constant reference is shown as infinite").isTrue();
        assertThat(html).contains("vicprice: effect size by window", "vicprice: share of records per bin",
                "bin edges (outer bins open)");
        assertThat(reports.history("electricity")).hasSizeGreaterThan(1)
                .allSatisfy(report -> assertThat(report.histograms()).isEmpty());
    }

    private static void observe(FeatureDriftMonitor monitor, LatestReports reports, LabeledRow row, long position) {
        monitor.observe(new Observation(position, 0, position - 1, position, row.features()))
                .forEach(reports::alert);
        monitor.latest().filter(r -> r.current().toPosition() == position).ifPresent(reports::publish);
    }
}

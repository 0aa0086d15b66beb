package io.streamlearn.runtime.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineChartTest {

    @Test
    void drawsGapsForMissingPointsAndPutsTheLegendRightOfThePlot() {
        String svg = new LineChart("curve <1>", "events", "accuracy").size(600, 300)
                .line("a & b", new double[] {1, 2, 3, 4}, new double[] {0.5, Double.NaN, 0.7, 0.8})
                .rule("threshold", 0.6).marker(2, "psi", LineChart.Marker.ALERT)
                .marker(3, "retrained", LineChart.Marker.PROMOTION).svg();

        assertThat(svg).contains("aria-label=\"curve &lt;1&gt;\"", "a &amp; b", "class=\"axis-x\"", "class=\"axis-y\"",
                "drift alert (1)", "promoted version (1)", "class=\"marker-label\"").doesNotContain("<script");
        assertThat(svg).containsPattern("d=\"M[0-9. ]+ M[0-9. ]+L[0-9. ]+\"");
        double plotRight = Double.parseDouble(svg.replaceAll("(?s).*class=\"plot-area\" x=\"([0-9.]+)\" y=\"[0-9.]+\" "
                + "width=\"([0-9.]+)\".*", "$1")) + Double.parseDouble(svg.replaceAll("(?s).*class=\"plot-area\" "
                + "x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\".*", "$1"));
        double legendX = Double.parseDouble(svg.replaceAll("(?s).*<g class=\"legend\"><g class=\"item\"><line x1=\""
                + "([0-9.]+)\".*", "$1"));
        assertThat(legendX).isGreaterThan(plotRight);
    }

    @Test
    void refusesLinesWhoseCoordinatesDoNotPair() {
        assertThatThrownBy(() -> new LineChart("t", "x", "y").line("l", new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x values, 3 y");
    }
}

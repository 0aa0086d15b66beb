package io.streamlearn.tools.pages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A page as Chromium laid it out ({@code layout-check.js}): what a reader would see wrong without reading the HTML.
 *
 * @param width  the document's scroll width in CSS pixels: wider than the window means a horizontal scroll bar
 * @param height the document's scroll height, for a screenshot of the whole page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PageLayout(List<Chart> charts, List<StatisticRow> statistics, int width, int height) {

    /**
     * One chart.
     *
     * @param marks          lines and bars drawn
     * @param markers        vertical markers drawn (drift alerts, promotions)
     * @param legendOverlaps pairs of legend items whose boxes overlap
     * @param legendOnPlot   legend items whose box overlaps the plot area
     * @param textOverlaps   pairs of texts (ticks, titles, labels) whose boxes overlap, as "a / b"
     * @param textOutside    texts reaching outside the chart
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Chart(String title, List<String> xTicks, List<String> yTicks, List<String> axisTitles, int marks,
            int markers, List<String> legend, int legendOverlaps, int legendOnPlot, List<String> textOverlaps,
            List<String> textOutside) {
    }

    /** A row of a drift statistics table, its cells as rendered. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StatisticRow(String name, String value, String pValue) {
    }
}

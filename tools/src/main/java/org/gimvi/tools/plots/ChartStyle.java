package org.gimvi.tools.plots;

import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** One look for every chart of the report: white, large enough type, a light grid, legend inside. */
final class ChartStyle {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font FIGURE_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);

    /**
     * Distinct, colour-blind-safe line colours (Okabe and Ito), so methods keep one colour in every
     * figure when they are added in the same order.
     */
    static final Color[] SERIES = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66)};

    private ChartStyle() {
    }

    static XYChart xy(int width, int height, String title, String xLabel, String yLabel) {
        XYChart c = new XYChart(width, height);
        c.setTitle(title);
        c.setXAxisTitle(xLabel);
        c.setYAxisTitle(yLabel);
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleFont(TITLE);
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(LABEL);
        s.setAxisTickLabelsFont(TICK);
        s.setLegendFont(SMALL);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setSeriesColors(SERIES);
        s.setChartPadding(8);
        s.setAntiAlias(true);
        s.setAnnotationTextFont(SMALL);
        s.setAnnotationTextFontColor(Color.DARK_GRAY);
        return c;
    }

    /** The i-th method colour. */
    static Color series(int i) {
        return SERIES[i % SERIES.length];
    }
}

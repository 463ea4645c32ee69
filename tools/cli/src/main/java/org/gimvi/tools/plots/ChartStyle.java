package org.gimvi.tools.plots;

import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** One look for every chart of the report: white, large enough type, a light grid, legend inside. */
final class ChartStyle {
    static {
        // charts measure their text while being built, before FigureFiles paints them: no display then either
        System.setProperty("java.awt.headless", "true");
    }

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

    /** 1, 2 or 5 times a power of ten, the nearest at or above {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    /**
     * Labels only the x ticks at multiples of a round step (about {@code labels} of them): XChart puts a
     * tick at every few integers of an epoch axis, and their labels run into each other.
     */
    static void roundXLabels(XYChart c, double maxX, int labels) {
        double step = Math.max(1, niceStep(maxX / labels));
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> Math.abs(v / step - Math.rint(v / step)) < 1e-9
                ? String.valueOf((long) Math.rint(v)) : "");
    }

    /** The i-th method colour. */
    static Color series(int i) {
        return SERIES[i % SERIES.length];
    }
}

package org.gimvi.tools.plots;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Per-gene scores of every method as a strip plot: one column per method, one point per gene (and
 * seed), spread sideways by a fixed jitter so equal scores stay visible, a black bar at the median, and
 * a line at 0 (on {@code spearman_norm} the cell-size control scores exactly 0, so a method must
 * sit above the line to impute anything beyond cell size).
 */
public final class GeneScoresFigure {
    /** One method's per-gene scores (NaN entries are skipped). */
    public record MethodScores(String method, double[] scores) {
    }

    private static final int HEIGHT = 420;
    private static final double JITTER = 0.32;
    private static final double MEDIAN_HALF_WIDTH = 0.3;

    private GeneScoresFigure() {
    }

    public static Path write(Path base, String title, String scoreLabel, List<MethodScores> methods) throws IOException {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no method scores to plot");
        }
        // wide enough for the title and for a column per method
        int width = Math.max(Math.max(520, 140 + 130 * methods.size()), 60 + 11 * title.length());
        XYChart c = ChartStyle.xy(width, HEIGHT, title, "", scoreLabel);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setXAxisMin(-0.6);
        c.getStyler().setXAxisMax(methods.size() - 0.4);
        // method names are written under their columns inside the plot (annotations sit at data
        // coordinates, so they line up exactly; XChart's numeric x ticks cannot be named reliably)
        c.getStyler().setXAxisTicksVisible(false);
        c.getStyler().setXAxisTitleVisible(false);
        c.getStyler().setPlotGridVerticalLinesVisible(false);
        c.getStyler().setYAxisDecimalPattern("0.00");
        double lo = 0;
        double hi = 0;
        for (int m = 0; m < methods.size(); m++) {
            double[] v = Arrays.stream(methods.get(m).scores()).filter(Double::isFinite).toArray();
            if (v.length == 0) {
                continue;
            }
            double[] x = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                // golden-ratio sequence: evenly spread offsets that do not depend on a random seed
                x[i] = m + JITTER * (((i * 0.6180339887) % 1.0) - 0.5);
                lo = Math.min(lo, v[i]);
                hi = Math.max(hi, v[i]);
            }
            XYSeries s = c.addSeries(methods.get(m).method(), x, v);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            Color col = ChartStyle.series(m);
            s.setMarkerColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 170));
            double med = median(v);
            XYSeries bar = c.addSeries(methods.get(m).method() + " median", new double[]{m - MEDIAN_HALF_WIDTH,
                m + MEDIAN_HALF_WIDTH}, new double[]{med, med});
            bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineColor(Color.BLACK);
            bar.setLineWidth(2.5f);
        }
        double pad = 0.08 * Math.max(hi - lo, 0.1);
        c.getStyler().setYAxisMin(lo - 2.4 * pad);
        for (int m = 0; m < methods.size(); m++) {
            c.addAnnotation(new AnnotationText(methods.get(m).method(), m, lo - 1.5 * pad, false));
        }
        c.getStyler().setAnnotationTextFont(ChartStyle.LABEL);
        c.getStyler().setAnnotationTextFontColor(Color.BLACK);
        c.getStyler().setYAxisMax(hi + pad);
        c.getStyler().setAnnotationLineColor(Color.GRAY);
        c.addAnnotation(new AnnotationLine(0, false, false));
        return FigureFiles.write(base, width, HEIGHT, (g, w, h) -> c.paint(g, w, h));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}

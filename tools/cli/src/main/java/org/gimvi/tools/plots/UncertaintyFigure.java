package org.gimvi.tools.plots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The gimVI paper's Figure 3: per held-out gene, the imputation's uncertainty (mean over spatial cells
 * of the standard deviation over posterior draws) against the gene's predictability from the training
 * genes in scRNA-seq (residual RMSE of a least-squares fit, higher = harder to predict); each point
 * named by its gene, one panel per method.
 */
public final class UncertaintyFigure {
    /** One gene's point. */
    public record GenePoint(String gene, double residualRmse, double uncertainty) {
    }

    /** One method's points and the rank correlation to print in its panel title. */
    public record MethodPoints(String method, List<GenePoint> genes, double spearman) {
    }

    private static final int PANEL_W = 480;
    private static final int PANEL_H = 400;
    /** Roughly what XChart's title, axis titles and tick labels take from a panel (for label placement). */
    private static final int PLOT_MARGIN_W = 110;
    private static final int PLOT_MARGIN_H = 120;

    private UncertaintyFigure() {
    }

    public static Path write(Path base, String title, List<MethodPoints> methods) throws IOException {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no method with a posterior to plot");
        }
        List<XYChart> charts = new ArrayList<>();
        for (int k = 0; k < methods.size(); k++) {
            MethodPoints m = methods.get(k);
            String panelTitle = Double.isNaN(m.spearman()) ? m.method()
                    : String.format(java.util.Locale.ROOT, "%s (Spearman %.2f)", m.method(), m.spearman());
            XYChart c = ChartStyle.xy(PANEL_W, PANEL_H, panelTitle, "residual RMSE (scRNA-seq regression)",
                    "uncertainty (mean posterior sd)");
            int n = m.genes().size();
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = m.genes().get(i).residualRmse();
                y[i] = m.genes().get(i).uncertainty();
            }
            XYSeries s = c.addSeries("genes", x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(ChartStyle.series(k));
            c.getStyler().setMarkerSize(8);
            c.getStyler().setLegendVisible(false);
            c.getStyler().setYAxisDecimalPattern(decimalPattern(max(y)));
            double[] axes = padAxes(c, x, y);
            String[] names = m.genes().stream().map(GenePoint::gene).toArray(String[]::new);
            double[][] at = LabelPlacement.place(names, x, y, axes, PANEL_W - PLOT_MARGIN_W, PANEL_H - PLOT_MARGIN_H);
            for (int i = 0; i < n; i++) {
                c.addAnnotation(new AnnotationText(names[i], at[i][0], at[i][1], false));
            }
            charts.add(c);
        }
        return FigureFiles.write(base, PANEL_W * charts.size(), PANEL_H + ChartLayout.TITLE_HEIGHT,
                (g, w, h) -> ChartLayout.paintGrid(g, w, h, title, charts, charts.size()));
    }

    /** Room around the points so labels at the edges stay inside the plot; returns {x0, x1, y0, y1}. */
    private static double[] padAxes(XYChart c, double[] x, double[] y) {
        double rx = range(x);
        double ry = range(y);
        double[] axes = {min(x) - 0.12 * rx, max(x) + 0.12 * rx, Math.min(0, min(y) - 0.08 * ry), max(y) + 0.12 * ry};
        c.getStyler().setXAxisMin(axes[0]);
        c.getStyler().setXAxisMax(axes[1]);
        c.getStyler().setYAxisMin(axes[2]);
        c.getStyler().setYAxisMax(axes[3]);
        return axes;
    }

    /** Plain decimals with enough places for the largest value; scientific only for tiny values. */
    static String decimalPattern(double max) {
        if (max >= 10) {
            return "0";
        }
        if (max >= 1) {
            return "0.0";
        }
        if (max >= 0.1) {
            return "0.00";
        }
        if (max >= 0.01) {
            return "0.000";
        }
        return "0.0E0";
    }

    private static double range(double[] v) {
        double r = max(v) - min(v);
        return r > 0 ? r : Math.max(Math.abs(max(v)), 1e-9);
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}

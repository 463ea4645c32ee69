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
            c.getStyler().setYAxisDecimalPattern("0.0E0");
            padAxes(c, x, y);
            for (int i = 0; i < n; i++) {
                // the label sits just above its point (AnnotationText centres on the given position)
                double yr = range(y);
                c.addAnnotation(new AnnotationText(m.genes().get(i).gene(), x[i], y[i] + 0.045 * yr, false));
            }
            charts.add(c);
        }
        return FigureFiles.write(base, PANEL_W * charts.size(), PANEL_H + ChartLayout.TITLE_HEIGHT,
                (g, w, h) -> ChartLayout.paintGrid(g, w, h, title, charts, charts.size()));
    }

    /** Room around the points so labels at the edges stay inside the plot. */
    private static void padAxes(XYChart c, double[] x, double[] y) {
        double rx = range(x);
        double ry = range(y);
        c.getStyler().setXAxisMin(min(x) - 0.08 * rx);
        c.getStyler().setXAxisMax(max(x) + 0.08 * rx);
        c.getStyler().setYAxisMin(min(y) - 0.08 * ry);
        c.getStyler().setYAxisMax(max(y) + 0.12 * ry);
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

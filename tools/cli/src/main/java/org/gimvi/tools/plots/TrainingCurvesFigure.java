package org.gimvi.tools.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One gimVI run's training, per epoch: each dataset's reconstruction loss and KL divergence (means
 * per cell; a logarithmic axis where the two datasets' values differ by orders of magnitude), the
 * validation ELBO when it was recorded, and the adversarial classifier's accuracy (0.5 = it can no
 * longer tell the datasets apart when they are balanced). Dashed vertical lines mark where a
 * warm-restart round begins.
 */
public final class TrainingCurvesFigure {
    private static final int PANEL_W = 520;
    private static final int PANEL_H = 340;

    private TrainingCurvesFigure() {
    }

    public static Path write(Path base, String title, TrainingCurves c) throws IOException {
        if (c.epochs() == 0) {
            throw new IllegalArgumentException("the training history has no epoch");
        }
        List<XYChart> charts = new ArrayList<>();
        XYChart rec = ChartStyle.xy(PANEL_W, PANEL_H, "Reconstruction", "epoch", "−log p(x | z), per cell");
        XYChart kl = ChartStyle.xy(PANEL_W, PANEL_H, "KL divergence", "epoch", "KL(q ‖ p), per cell");
        for (int m = 0; m < c.datasets().length; m++) {
            line(rec, c.datasets()[m], c.epoch(), c.reconstruction()[m]);
            line(kl, c.datasets()[m], c.epoch(), c.kl()[m]);
        }
        logarithmicIfPositive(rec, c.reconstruction());
        logarithmicIfPositive(kl, c.kl());
        charts.add(rec);
        charts.add(kl);
        if (c.hasValidation()) {
            XYChart val = ChartStyle.xy(PANEL_W, PANEL_H, "Validation ELBO", "epoch", "−ELBO, per validation cell");
            line(val, "validation", c.epoch(), finiteOnlyY(c.validationElbo()));
            val.getStyler().setLegendVisible(false);
            charts.add(val);
        }
        XYChart acc = ChartStyle.xy(PANEL_W, PANEL_H, "Adversarial classifier", "epoch",
                "accuracy (0.5 = chance)");
        line(acc, "accuracy", c.epoch(), c.classifierAccuracy());
        acc.getStyler().setLegendVisible(false);
        acc.getStyler().setYAxisMin(0.0);
        acc.getStyler().setYAxisMax(1.0);
        charts.add(acc);
        for (XYChart chart : charts) {
            // a label every few epochs, not every other one
            ChartStyle.roundXLabels(chart, c.epoch()[c.epochs() - 1], 6);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            chart.getStyler().setAnnotationLineColor(Color.GRAY);
            chart.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[]{6f, 4f}, 0f));
            for (double start : c.roundStarts()) {
                chart.addAnnotation(new AnnotationLine(start, true, false));
            }
        }
        String fullTitle = c.roundStarts().length == 0 ? title
                : title + " — " + (c.roundStarts().length + 1) + " rounds (dashed: a round starts)";
        // three panels in a row, four as two by two
        int columns = charts.size() == 4 ? 2 : charts.size();
        int rows = (charts.size() + columns - 1) / columns;
        return FigureFiles.write(base, PANEL_W * columns, PANEL_H * rows + ChartLayout.TITLE_HEIGHT,
                (g, w, h) -> ChartLayout.paintGrid(g, w, h, fullTitle, charts, columns));
    }

    private static void line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineWidth(1.6f);
    }

    /** XChart cannot draw NaN on a line; unrecorded epochs take the previous recorded value's place. */
    private static double[] finiteOnlyY(double[] y) {
        double[] out = y.clone();
        double last = Double.NaN;
        for (double v : y) {
            if (Double.isFinite(v)) {
                last = v;
                break;
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (Double.isFinite(out[i])) {
                last = out[i];
            } else {
                out[i] = last;
            }
        }
        return out;
    }

    /** A log axis only where values span more than ~2 orders of magnitude (and are all positive). */
    private static void logarithmicIfPositive(XYChart c, double[][] values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] v : values) {
            for (double d : v) {
                if (!(d > 0)) {
                    return;
                }
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        if (hi / lo > 100) {
            c.getStyler().setYAxisLogarithmic(true);
            c.getStyler().setYAxisDecimalPattern("#,##0");
        }
    }
}

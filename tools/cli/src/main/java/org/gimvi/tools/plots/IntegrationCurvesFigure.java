package org.gimvi.tools.plots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The gimVI paper's Figure 2: how well the joint latent space mixes the two datasets (1 − median KL
 * between local and global dataset fractions, higher = better mixed) and how well it keeps each
 * dataset's own neighbourhoods (k-NN purity against a single-dataset space), against the
 * neighbourhood size k; one line per method that has a latent space.
 */
public final class IntegrationCurvesFigure {
    /** One method's curves; purity arrays null when purity was not computed. */
    public record MethodCurves(String method, double[] mixingK, double[] mixing, double[] seqK, double[] puritySeq,
                               double[] spatialK, double[] puritySpatial) {
    }

    private static final int PANEL_W = 440;
    private static final int PANEL_H = 360;

    private IntegrationCurvesFigure() {
    }

    public static Path write(Path base, String title, List<MethodCurves> methods) throws IOException {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no method with a latent space to plot");
        }
        List<XYChart> charts = new ArrayList<>();
        XYChart mixing = ChartStyle.xy(PANEL_W, PANEL_H, "Entropy of mixing", "k (neighbours)", "1 − median KL");
        for (MethodCurves m : methods) {
            line(mixing, m.method(), m.mixingK(), m.mixing());
        }
        charts.add(mixing);
        boolean purity = methods.stream().anyMatch(m -> m.puritySeq() != null);
        if (purity) {
            XYChart seq = ChartStyle.xy(PANEL_W, PANEL_H, "k-NN purity, scRNA-seq", "k (neighbours)",
                    "shared neighbours / k");
            XYChart spatial = ChartStyle.xy(PANEL_W, PANEL_H, "k-NN purity, spatial", "k (neighbours)",
                    "shared neighbours / k");
            for (MethodCurves m : methods) {
                if (m.puritySeq() != null) {
                    line(seq, m.method(), m.seqK(), m.puritySeq());
                    line(spatial, m.method(), m.spatialK(), m.puritySpatial());
                }
            }
            charts.add(seq);
            charts.add(spatial);
        }
        // the curves rise with k: the lower right corner is where a legend hides nothing
        charts.forEach(c -> c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE));
        return FigureFiles.write(base, PANEL_W * charts.size(), PANEL_H + ChartLayout.TITLE_HEIGHT,
                (g, w, h) -> ChartLayout.paintGrid(g, w, h, title, charts, charts.size()));
    }

    private static void line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        c.getStyler().setMarkerSize(5);
    }
}

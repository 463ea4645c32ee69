package org.gimvi.tools.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The gimVI paper's Figure 4: cells at their spatial coordinates coloured by one gene's value, one
 * panel per source (measured, then each method's imputation), all on one colour scale so the panels
 * compare directly. Equal aspect ratio (a tissue is not stretched), y pointing up, viridis colours,
 * cells drawn from low to high value so that the few high cells are not hidden under the many low
 * ones. The scale runs from 0 to the 99th percentile of all panels' values together, so a handful of
 * outlier cells do not wash out the rest; higher values get the top colour.
 */
public final class SpatialMapFigure {
    /** One panel: its title (source, and for instance its score) and one value per cell. */
    public record Panel(String label, double[] values) {
    }

    private static final int PANEL_LONG_SIDE = 460;
    private static final int PANEL_SHORT_SIDE_MIN = 160;
    private static final int MARGIN = 16;
    private static final int LABEL_HEIGHT = 26;
    private static final int BAR_WIDTH = 110;
    private static final double UPPER_QUANTILE = 0.99;

    private SpatialMapFigure() {
    }

    /**
     * @param coordinates cells × (x, y)
     * @param scaleLabel  what the colour shows, for the colour bar
     * @return the PNG's path ({@code base.svg} is written beside it)
     */
    public static Path write(Path base, String title, float[][] coordinates, List<Panel> panels, String scaleLabel)
            throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a spatial map needs at least one panel");
        }
        for (Panel p : panels) {
            if (p.values().length != coordinates.length) {
                throw new IllegalArgumentException("panel '" + p.label() + "' has " + p.values().length + " values for "
                        + coordinates.length + " cells");
            }
        }
        double[] box = bounds(coordinates);
        double spanX = Math.max(box[1] - box[0], 1e-9);
        double spanY = Math.max(box[3] - box[2], 1e-9);
        // the longer side gets PANEL_LONG_SIDE pixels; the same scale for both axes keeps the aspect
        double scale = PANEL_LONG_SIDE / Math.max(spanX, spanY);
        int pw = (int) Math.round(spanX * scale);
        int ph = (int) Math.round(spanY * scale);
        int slot = Math.max(pw, PANEL_SHORT_SIDE_MIN);
        double upper = upperLimit(panels);
        int width = MARGIN + panels.size() * (slot + MARGIN) + BAR_WIDTH;
        int height = ChartLayout.TITLE_HEIGHT + LABEL_HEIGHT + ph + 2 * MARGIN;
        // dots about a third of the mean spacing in the bounding box: touching where cells are dense,
        // separate where they are sparse, so no cell hides another's colour
        double radius = Math.max(0.8, Math.min(3, 0.3 * Math.sqrt((double) pw * ph / coordinates.length)));
        return FigureFiles.write(base, width, height, (g, w, h) -> {
            ChartLayout.paintTitle(g, w, title);
            int top = ChartLayout.TITLE_HEIGHT + LABEL_HEIGHT;
            for (int k = 0; k < panels.size(); k++) {
                int left = MARGIN + k * (slot + MARGIN) + (slot - pw) / 2;
                paintPanel(g, panels.get(k), coordinates, box, scale, left, top, pw, ph, radius, upper);
                g.setColor(Color.BLACK);
                g.setFont(ChartStyle.LABEL);
                FontMetrics fm = g.getFontMetrics();
                String label = panels.get(k).label();
                int cx = MARGIN + k * (slot + MARGIN) + slot / 2;
                g.drawString(label, cx - fm.stringWidth(label) / 2, top - 8);
            }
            paintColourBar(g, MARGIN + panels.size() * (slot + MARGIN), top, Math.min(ph, 320), upper, scaleLabel);
        });
    }

    private static void paintPanel(Graphics2D g, Panel panel, float[][] xy, double[] box, double scale, int left,
                                   int top, int pw, int ph, double radius, double upper) {
        double[] v = panel.values();
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // NaN first (drawn grey, underneath), then ascending
        Arrays.sort(order, (a, b) -> Double.compare(Double.isNaN(v[a]) ? Double.NEGATIVE_INFINITY : v[a],
                Double.isNaN(v[b]) ? Double.NEGATIVE_INFINITY : v[b]));
        Ellipse2D.Double dot = new Ellipse2D.Double();
        for (int i : order) {
            double x = left + (xy[i][0] - box[0]) * scale;
            double y = top + ph - (xy[i][1] - box[2]) * scale;
            g.setColor(Double.isNaN(v[i]) ? Color.LIGHT_GRAY : Viridis.at(upper > 0 ? v[i] / upper : 0));
            dot.setFrame(x - radius, y - radius, 2 * radius, 2 * radius);
            g.fill(dot);
        }
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left - (int) Math.ceil(radius) - 1, top - (int) Math.ceil(radius) - 1, pw + 2 * (int) Math.ceil(radius) + 2,
                ph + 2 * (int) Math.ceil(radius) + 2);
    }

    private static void paintColourBar(Graphics2D g, int left, int top, int height, double upper, String label) {
        int barW = 16;
        int x = left + 4;
        for (int y = 0; y < height; y++) {
            g.setColor(Viridis.at(1 - y / (double) (height - 1)));
            g.fillRect(x, top + y, barW, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x, top, barW, height);
        g.setFont(ChartStyle.TICK);
        FontMetrics fm = g.getFontMetrics();
        double step = ChartStyle.niceStep(upper / 4);
        for (double v = 0; v <= upper * (1 + 1e-9); v += step) {
            int y = top + (int) Math.round((1 - v / upper) * height);
            g.drawLine(x + barW, y, x + barW + 4, y);
            g.drawString(tickLabel(v, step), x + barW + 7, y + fm.getAscent() / 2 - 1);
        }
        // the top of the scale: values above it are drawn in the top colour
        g.drawString("≥ " + tickLabel(upper, step / 10), x - 2, top - 6);
        // the quantity, written along the bar
        AffineTransform old = g.getTransform();
        g.setFont(ChartStyle.SMALL);
        fm = g.getFontMetrics();
        g.rotate(-Math.PI / 2);
        int textX = -(top + height / 2 + fm.stringWidth(label) / 2);
        g.drawString(label, Math.min(textX, -top - 2), x + barW + 40 + fm.getAscent());
        g.setTransform(old);
    }

    /** A value with as many decimals as the step needs. */
    static String tickLabel(double v, double step) {
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** The 99th percentile of all finite values of all panels (the top of the colour scale). */
    static double upperLimit(List<Panel> panels) {
        int n = 0;
        for (Panel p : panels) {
            n += p.values().length;
        }
        double[] all = new double[n];
        int k = 0;
        for (Panel p : panels) {
            for (double v : p.values()) {
                if (Double.isFinite(v)) {
                    all[k++] = v;
                }
            }
        }
        if (k == 0) {
            return 1;
        }
        double[] finite = Arrays.copyOf(all, k);
        Arrays.sort(finite);
        double q = finite[(int) Math.min(k - 1, Math.floor(UPPER_QUANTILE * (k - 1)))];
        return q > 0 ? q : finite[k - 1] > 0 ? finite[k - 1] : 1;
    }

    /** {min x, max x, min y, max y} over cells with finite coordinates. */
    static double[] bounds(float[][] xy) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (float[] p : xy) {
            if (p.length < 2 || !Float.isFinite(p[0]) || !Float.isFinite(p[1])) {
                continue;
            }
            b[0] = Math.min(b[0], p[0]);
            b[1] = Math.max(b[1], p[0]);
            b[2] = Math.min(b[2], p[1]);
            b[3] = Math.max(b[3], p[1]);
        }
        if (b[0] > b[1]) {
            throw new IllegalArgumentException("no cell has finite x and y coordinates");
        }
        return b;
    }
}

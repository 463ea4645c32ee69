package org.gimvi.tools.plots;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/** Several XChart charts as panels of one figure, under a figure title. */
final class ChartLayout {
    static final int TITLE_HEIGHT = 34;

    private ChartLayout() {
    }

    /** Panels left to right, then top to bottom, in {@code columns} columns of equal size. */
    static void paintGrid(Graphics2D g, int width, int height, String title, List<? extends Chart<?, ?>> charts,
                          int columns) {
        int top = title == null ? 0 : TITLE_HEIGHT;
        if (title != null) {
            paintTitle(g, width, title);
        }
        int rows = (charts.size() + columns - 1) / columns;
        int w = width / columns;
        int h = (height - top) / rows;
        for (int i = 0; i < charts.size(); i++) {
            Graphics2D p = (Graphics2D) g.create(w * (i % columns), top + h * (i / columns), w, h);
            charts.get(i).paint(p, w, h);
            p.dispose();
        }
    }

    static void paintTitle(Graphics2D g, int width, String title) {
        g.setColor(Color.BLACK);
        g.setFont(ChartStyle.FIGURE_TITLE);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, Math.max(4, (width - fm.stringWidth(title)) / 2), 8 + fm.getAscent());
    }
}

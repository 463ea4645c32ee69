package org.gimvi.tools.plots;

import java.util.ArrayList;
import java.util.List;

/**
 * Places point labels so that they overlap neither each other nor the points: for each point in turn,
 * the first free spot among above, below, right, left and the four diagonals, in approximate pixels
 * (the plot area's size is estimated from the panel's), else above.
 */
final class LabelPlacement {
    private static final double CHAR_W = 6.6;
    private static final double LABEL_H = 13;
    private static final double POINT_R = 5;

    private LabelPlacement() {
    }

    /**
     * @param axes {x0, x1, y0, y1} of the plot
     * @return per label, the data position of its centre
     */
    static double[][] place(String[] labels, double[] x, double[] y, double[] axes, double plotW, double plotH) {
        double sx = plotW / (axes[1] - axes[0]);
        double sy = plotH / (axes[3] - axes[2]);
        int n = labels.length;
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = (x[i] - axes[0]) * sx;
            py[i] = (y[i] - axes[2]) * sy; // pixels, upwards
        }
        List<double[]> boxes = new ArrayList<>(); // {cx, cy, halfW, halfH}
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double hw = CHAR_W * labels[i].length() / 2 + 2;
            double hh = LABEL_H / 2;
            double[][] offsets = {{0, hh + POINT_R + 2}, {0, -(hh + POINT_R + 2)}, {hw + POINT_R + 3, 0},
                {-(hw + POINT_R + 3), 0}, {hw + 2, hh + 3}, {-(hw + 2), hh + 3}, {hw + 2, -(hh + 3)},
                {-(hw + 2), -(hh + 3)}};
            double[] chosen = offsets[0];
            for (double[] o : offsets) {
                double cx = px[i] + o[0];
                double cy = py[i] + o[1];
                if (free(cx, cy, hw, hh, boxes, px, py, plotW, plotH)) {
                    chosen = o;
                    break;
                }
            }
            double cx = px[i] + chosen[0];
            double cy = py[i] + chosen[1];
            boxes.add(new double[]{cx, cy, hw, hh});
            out[i] = new double[]{axes[0] + cx / sx, axes[2] + cy / sy};
        }
        return out;
    }

    private static boolean free(double cx, double cy, double hw, double hh, List<double[]> boxes, double[] px,
                                double[] py, double plotW, double plotH) {
        if (cx - hw < 0 || cx + hw > plotW || cy - hh < 0 || cy + hh > plotH) {
            return false;
        }
        for (double[] b : boxes) {
            if (Math.abs(cx - b[0]) < hw + b[2] && Math.abs(cy - b[1]) < hh + b[3]) {
                return false;
            }
        }
        for (int j = 0; j < px.length; j++) {
            if (Math.abs(cx - px[j]) < hw + POINT_R && Math.abs(cy - py[j]) < hh + POINT_R) {
                return false;
            }
        }
        return true;
    }
}

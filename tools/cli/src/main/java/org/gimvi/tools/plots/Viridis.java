package org.gimvi.tools.plots;

import java.awt.Color;

/**
 * The viridis colour map (van der Walt and Smith, matplotlib 2.0's default): perceptually uniform,
 * readable in grey scale and by most colour-blind readers. Nine control points, every 32nd entry of
 * matplotlib's published 256-entry table and its last, linearly interpolated in RGB (the table itself
 * is smooth enough that the interpolation stays within one 8-bit step of it).
 */
public final class Viridis {
    private static final double[][] CONTROL = {
        {0.267004, 0.004874, 0.329415},
        {0.278826, 0.175490, 0.483397},
        {0.229739, 0.322361, 0.545706},
        {0.172719, 0.448791, 0.557885},
        {0.127568, 0.566949, 0.550556},
        {0.157851, 0.683765, 0.501686},
        {0.369214, 0.788888, 0.382914},
        {0.678489, 0.863742, 0.189503},
        {0.993248, 0.906157, 0.143936},
    };
    /** Table positions of the control points: entries 0, 32, …, 224 and 255 of 0…255. */
    private static final double[] AT = {0, 32 / 255.0, 64 / 255.0, 96 / 255.0, 128 / 255.0, 160 / 255.0, 192 / 255.0,
        224 / 255.0, 1};

    private Viridis() {
    }

    /** The colour at t in [0, 1] (clamped; NaN gives the lowest colour). */
    public static Color at(double t) {
        if (!(t > 0)) {
            t = 0;
        } else if (t > 1) {
            t = 1;
        }
        int s = 0;
        while (s < AT.length - 2 && t > AT[s + 1]) {
            s++;
        }
        double f = (t - AT[s]) / (AT[s + 1] - AT[s]);
        float[] rgb = new float[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (float) (CONTROL[s][c] + f * (CONTROL[s + 1][c] - CONTROL[s][c]));
        }
        return new Color(rgb[0], rgb[1], rgb[2]);
    }
}

package org.gimvi.model.gimvi;

import java.util.Locale;
import org.gimvi.engine.matrix.CountMatrix;

/**
 * Spots integer-valued data that are nevertheless not raw counts, such as quantile-normalised
 * panels (seqFISH of Zhu et al. 2018 is integers 0–101). Raw counts of cells vary a lot in size and
 * contain many zeros; normalisation removes both. Measured on the shared datasets: raw counts have a
 * coefficient of variation of cell totals of 0.57–2.5 and 30–76% zeros; the quantile-normalised ones
 * 0.02–0.13 and under 0.2% zeros. Refused: CV below 0.2 together with under 1% zeros, on at least 50
 * cells and 10 genes (fewer cannot tell).
 */
public final class NormalisedDataCheck {
    private NormalisedDataCheck() {
    }

    /** Why the matrix looks normalised, or null when it looks like counts (or is too small to tell). */
    public static String reason(CountMatrix x) {
        int n = x.rows();
        int g = x.cols();
        if (n < 50 || g < 10) {
            return null;
        }
        double sum = 0;
        double sumSq = 0;
        long zeros = 0;
        float[] row = new float[g];
        for (int i = 0; i < n; i++) {
            x.copyRow(i, row, 0);
            double t = 0;
            for (float v : row) {
                t += v;
                zeros += v == 0f ? 1 : 0;
            }
            sum += t;
            sumSq += t * t;
        }
        double mean = sum / n;
        double cv = mean > 0 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) / mean : 0;
        double zeroFraction = zeros / ((double) n * g);
        if (cv < 0.2 && zeroFraction < 0.01) {
            return String.format(Locale.ROOT, "cell totals vary by only %.1f%% (raw counts vary by 50%% or more) and "
                    + "only %.2f%% of values are zero", 100 * cv, 100 * zeroFraction);
        }
        return null;
    }
}

package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;
import org.gimvi.engine.matrix.DenseCountMatrix;

/**
 * Library-size normalisation: each cell's counts divided by its total and multiplied by a target
 * (10⁴ for Seurat's LogNormalize, 10⁶ for CPM, the median total for SpaGE's spatial input). A cell
 * whose total is zero stays all zero instead of becoming 0/0.
 */
public final class LibrarySizeNormalisation {
    public static final double CPM = 1e6;
    public static final double SEURAT_SCALE_FACTOR = 1e4;

    private LibrarySizeNormalisation() {
    }

    /** The counts of the given columns (null = all) as a double matrix, cells × columns. */
    public static DMatrixRMaj columns(DenseCountMatrix counts, int[] cols) {
        int n = counts.rows();
        int d = cols == null ? counts.cols() : cols.length;
        DMatrixRMaj out = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out.data[i * d + j] = counts.get(i, cols == null ? j : cols[j]);
            }
        }
        return out;
    }

    /** Each row's total, written into {@code out} (length = rows). */
    public static double[] rowTotals(DMatrixRMaj x, double[] out) {
        int d = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x.data[i * d + j];
            }
            out[i] = s;
        }
        return out;
    }

    /** out = x / total · target, row by row; rows with total ≤ 0 become zeros. {@code out} may be {@code x}. */
    public static void scaleTo(DMatrixRMaj x, double[] totals, double target, DMatrixRMaj out) {
        out.reshape(x.numRows, x.numCols);
        int d = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            double f = totals[i] > 0 ? target / totals[i] : 0;
            for (int j = 0; j < d; j++) {
                out.data[i * d + j] = x.data[i * d + j] * f;
            }
        }
    }

    /** The median of the values (the mean of the two middle ones for an even count). */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}

package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;

/**
 * Per-cell standardisation across features (rows of a cells × features matrix), sample standard
 * deviation — what Seurat's RunCCA applies to each cell's scaled vector before the cross-product.
 * A constant row has no direction; it becomes zeros (Seurat would divide by zero).
 */
public final class CellStandardisation {
    private CellStandardisation() {
    }

    /** out = (row − mean) / sd per row; returns how many rows were constant. {@code out} may be {@code x}. */
    public static int apply(DMatrixRMaj x, DMatrixRMaj out) {
        int d = x.numCols;
        if (d < 2) {
            throw new IllegalArgumentException("per-cell standardisation needs at least 2 features, got " + d);
        }
        out.reshape(x.numRows, d);
        int constant = 0;
        for (int i = 0; i < x.numRows; i++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += x.data[i * d + j];
            }
            mean /= d;
            double ss = 0;
            for (int j = 0; j < d; j++) {
                double c = x.data[i * d + j] - mean;
                ss += c * c;
            }
            double sd = Math.sqrt(ss / (d - 1));
            boolean flat = sd <= 1e-12 * Math.max(1, Math.abs(mean));
            if (flat) {
                constant++;
            }
            for (int j = 0; j < d; j++) {
                out.data[i * d + j] = flat ? 0 : (x.data[i * d + j] - mean) / sd;
            }
        }
        return constant;
    }
}

package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;

/** Each row divided by its Euclidean norm (Seurat's L2Dim, cosine geometry); zero rows stay zero. */
public final class RowL2Normalisation {
    private RowL2Normalisation() {
    }

    /** out = row / ‖row‖; {@code out} may be {@code x}. */
    public static void apply(DMatrixRMaj x, DMatrixRMaj out) {
        int d = x.numCols;
        out.reshape(x.numRows, d);
        for (int i = 0; i < x.numRows; i++) {
            double ss = 0;
            for (int j = 0; j < d; j++) {
                ss += x.data[i * d + j] * x.data[i * d + j];
            }
            double f = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            for (int j = 0; j < d; j++) {
                out.data[i * d + j] = x.data[i * d + j] * f;
            }
        }
    }
}

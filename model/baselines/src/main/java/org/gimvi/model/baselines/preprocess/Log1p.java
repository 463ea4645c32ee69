package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;

/** Element-wise log(1 + x), the log step of every log-normalisation. */
public final class Log1p {
    private Log1p() {
    }

    /** out = log1p(x); {@code out} may be {@code x}. */
    public static void apply(DMatrixRMaj x, DMatrixRMaj out) {
        out.reshape(x.numRows, x.numCols);
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            out.data[i] = Math.log1p(x.data[i]);
        }
    }
}

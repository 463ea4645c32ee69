package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;

/** The two steps most methods start with: library-size normalisation to a target, then log1p. */
public final class LogNormalisation {
    private LogNormalisation() {
    }

    /** log(1 + x / total · target), row by row, into a new matrix (totals given by the caller). */
    public static DMatrixRMaj logNormalise(DMatrixRMaj counts, double[] totals, double target) {
        DMatrixRMaj out = new DMatrixRMaj(counts.numRows, counts.numCols);
        LibrarySizeNormalisation.scaleTo(counts, totals, target, out);
        Log1p.apply(out, out);
        return out;
    }

    /** log(1 + x / total · target) with each row's own total over the matrix's columns. */
    public static DMatrixRMaj logNormalise(DMatrixRMaj counts, double target) {
        return logNormalise(counts, LibrarySizeNormalisation.rowTotals(counts, new double[counts.numRows]), target);
    }
}

package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The leading k singular triplets of a matrix, A ≈ U·diag(s)·Vᵀ, in double precision (EJML), singular
 * values descending. Singular vectors are defined only up to sign, and the sign a library returns is
 * arbitrary; here each pair is flipped so that the right vector's largest-magnitude component is
 * positive (the first such component on ties), so results do not depend on the library.
 */
public final class TruncatedSvd {
    private TruncatedSvd() {
    }

    /**
     * @param u m × k, orthonormal columns
     * @param s k singular values, descending
     * @param v n × k, orthonormal columns
     */
    public record Result(DMatrixRMaj u, double[] s, DMatrixRMaj v) {
        public int rank() {
            return s.length;
        }
    }

    /** The leading {@code k ≤ min(m, n)} triplets of {@code a} (not modified). */
    public static Result compute(DMatrixRMaj a, int k) {
        int m = a.numRows;
        int n = a.numCols;
        if (k < 1 || k > Math.min(m, n)) {
            throw new IllegalArgumentException("truncated SVD: k = " + k + " must be between 1 and min(rows, cols) = "
                    + Math.min(m, n));
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!svd.decompose(a.copy())) {
            throw new IllegalStateException("truncated SVD: the decomposition did not converge");
        }
        DMatrixRMaj uFull = svd.getU(null, false);
        DMatrixRMaj vFull = svd.getV(null, false);
        DMatrixRMaj w = svd.getW(null);
        SingularOps_DDRM.descendingOrder(uFull, false, w, vFull, false);
        DMatrixRMaj u = CommonOps_DDRM.extract(uFull, 0, m, 0, k);
        DMatrixRMaj v = CommonOps_DDRM.extract(vFull, 0, n, 0, k);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = w.get(i, i);
        }
        fixSigns(v, u);
        return new Result(u, s, v);
    }

    /**
     * Flips column c of {@code reference} so that its largest-magnitude entry (first on ties) is
     * positive, and column c of {@code partner} with it (the pair's product is unchanged).
     */
    public static void fixSigns(DMatrixRMaj reference, DMatrixRMaj partner) {
        int k = reference.numCols;
        for (int c = 0; c < k; c++) {
            double best = 0;
            for (int r = 0; r < reference.numRows; r++) {
                double x = reference.get(r, c);
                if (Math.abs(x) > Math.abs(best)) {
                    best = x;
                }
            }
            if (best < 0) {
                negateColumn(reference, c);
                if (partner != null) {
                    negateColumn(partner, c);
                }
            }
        }
    }

    private static void negateColumn(DMatrixRMaj m, int c) {
        for (int r = 0; r < m.numRows; r++) {
            m.set(r, c, -m.get(r, c));
        }
    }
}

package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Real powers of a symmetric positive-definite matrix through its eigendecomposition,
 * A^p = Q·diag(λ^p)·Qᵀ (CORAL's (C + I)^(−1/2) and (C + I)^(1/2)). The result does not depend on the
 * eigenvectors' signs or on the order of the eigenvalues.
 */
public final class SymmetricMatrixPower {
    private SymmetricMatrixPower() {
    }

    /** out = a^p; {@code a} must be symmetric with positive eigenvalues. */
    public static void power(DMatrixRMaj a, double p, DMatrixRMaj out) {
        int d = a.numRows;
        if (a.numCols != d) {
            throw new IllegalArgumentException("matrix power: the matrix must be square, got " + a.numRows + " × " + a.numCols);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(a.copy())) {
            throw new IllegalStateException("matrix power: the eigendecomposition did not converge");
        }
        DMatrixRMaj scaled = new DMatrixRMaj(d, d); // Q·diag(λ^p)
        DMatrixRMaj q = new DMatrixRMaj(d, d);
        for (int c = 0; c < d; c++) {
            double lambda = eig.getEigenvalue(c).getReal();
            if (!(lambda > 0)) {
                throw new IllegalArgumentException("matrix power: eigenvalue " + lambda + " is not positive");
            }
            double f = Math.pow(lambda, p);
            DMatrixRMaj vec = eig.getEigenVector(c);
            for (int r = 0; r < d; r++) {
                q.set(r, c, vec.get(r, 0));
                scaled.set(r, c, vec.get(r, 0) * f);
            }
        }
        out.reshape(d, d);
        CommonOps_DDRM.multTransB(scaled, q, out);
        // symmetrise: the two triangles differ only by rounding
        for (int r = 0; r < d; r++) {
            for (int c = r + 1; c < d; c++) {
                double m = 0.5 * (out.get(r, c) + out.get(c, r));
                out.set(r, c, m);
                out.set(c, r, m);
            }
        }
    }
}

package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Canonical correlation analysis between two datasets measured on the same features but on different
 * cells, as Seurat v3 formulates it (Stuart et al. 2019; RunCCA): the features are the observations,
 * the within-dataset covariances are taken as diagonal, and the canonical vectors are the leading
 * singular vectors of X₁·X₂ᵀ (cells₁ × cells₂). Here X₁ is n₁ × f and X₂ is n₂ × f.
 *
 * <p>The n₁ × n₂ product is never formed: with thin SVDs X₁ = U₁S₁V₁ᵀ and X₂ = U₂S₂V₂ᵀ,
 * X₁X₂ᵀ = U₁·(S₁V₁ᵀV₂S₂)·U₂ᵀ, so the SVD of the small core C = P·Σ·Qᵀ gives u = U₁P, v = U₂Q, d = Σ
 * exactly, in O((n₁ + n₂)f²). Signs: each u column's largest-magnitude entry is positive.
 */
public final class DiagonalCca {
    private DiagonalCca() {
    }

    /**
     * @param u            n₁ × k canonical vectors of dataset 1 (orthonormal columns)
     * @param v            n₂ × k canonical vectors of dataset 2
     * @param d            k singular values of X₁X₂ᵀ, descending
     * @param correlations per pair, the correlation over features of X₁ᵀu and X₂ᵀv (≤ 1)
     */
    public record Result(DMatrixRMaj u, DMatrixRMaj v, double[] d, double[] correlations) {
    }

    public static Result fit(DMatrixRMaj x1, DMatrixRMaj x2, int k) {
        int f = x1.numCols;
        if (x2.numCols != f) {
            throw new IllegalArgumentException("CCA: both datasets need the same features, got " + f + " and " + x2.numCols);
        }
        int r1 = Math.min(x1.numRows, f);
        int r2 = Math.min(x2.numRows, f);
        if (k < 1 || k > Math.min(r1, r2)) {
            throw new IllegalArgumentException("CCA: " + k + " dimensions requested but at most min(cells, features) = "
                    + Math.min(r1, r2) + " exist");
        }
        TruncatedSvd.Result s1 = TruncatedSvd.compute(x1, r1);
        TruncatedSvd.Result s2 = TruncatedSvd.compute(x2, r2);
        // core = S₁·V₁ᵀ·V₂·S₂ (r1 × r2)
        DMatrixRMaj core = new DMatrixRMaj(r1, r2);
        CommonOps_DDRM.multTransA(s1.v(), s2.v(), core);
        for (int i = 0; i < r1; i++) {
            for (int j = 0; j < r2; j++) {
                core.set(i, j, core.get(i, j) * s1.s()[i] * s2.s()[j]);
            }
        }
        TruncatedSvd.Result c = TruncatedSvd.compute(core, k);
        DMatrixRMaj u = new DMatrixRMaj(x1.numRows, k);
        DMatrixRMaj v = new DMatrixRMaj(x2.numRows, k);
        CommonOps_DDRM.mult(s1.u(), c.u(), u);
        CommonOps_DDRM.mult(s2.u(), c.v(), v);
        TruncatedSvd.fixSigns(u, v);
        return new Result(u, v, c.s(), correlations(x1, x2, u, v, c.s()));
    }

    /** d_c / (‖X₁ᵀu_c‖·‖X₂ᵀv_c‖), i.e. the cosine of the two canonical variates over the features. */
    private static double[] correlations(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj u, DMatrixRMaj v, double[] d) {
        DMatrixRMaj a = new DMatrixRMaj(x1.numCols, u.numCols);
        DMatrixRMaj b = new DMatrixRMaj(x2.numCols, v.numCols);
        CommonOps_DDRM.multTransA(x1, u, a);
        CommonOps_DDRM.multTransA(x2, v, b);
        double[] out = new double[d.length];
        for (int c = 0; c < d.length; c++) {
            double na = 0;
            double nb = 0;
            for (int j = 0; j < a.numRows; j++) {
                na += a.get(j, c) * a.get(j, c);
                nb += b.get(j, c) * b.get(j, c);
            }
            double denom = Math.sqrt(na) * Math.sqrt(nb);
            out[c] = denom > 0 ? Math.min(1, d[c] / denom) : 0;
        }
        return out;
    }
}

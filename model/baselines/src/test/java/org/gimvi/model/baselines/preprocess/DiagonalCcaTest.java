package org.gimvi.model.baselines.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;

class DiagonalCcaTest {
    private static final int F = 6;

    /** Two datasets on the same 6 features sharing a latent structure. */
    private static DMatrixRMaj[] pair() {
        DMatrixRMaj shared = Matrices.gaussian(2, F, 10);
        DMatrixRMaj x1 = Matrices.gaussian(25, F, 11);
        DMatrixRMaj x2 = Matrices.gaussian(18, F, 12);
        DMatrixRMaj w1 = Matrices.gaussian(25, 2, 13);
        DMatrixRMaj w2 = Matrices.gaussian(18, 2, 14);
        DMatrixRMaj s1 = new DMatrixRMaj(25, F);
        DMatrixRMaj s2 = new DMatrixRMaj(18, F);
        CommonOps_DDRM.mult(w1, shared, s1);
        CommonOps_DDRM.mult(w2, shared, s2);
        CommonOps_DDRM.addEquals(x1, 3, s1);
        CommonOps_DDRM.addEquals(x2, 3, s2);
        return new DMatrixRMaj[] {x1, x2};
    }

    @Test
    void singularValuesAreThoseOfTheExplicitCrossProduct() {
        DMatrixRMaj[] p = pair();
        DiagonalCca.Result cca = DiagonalCca.fit(p[0], p[1], 4);
        DMatrixRMaj cross = new DMatrixRMaj(25, 18);
        CommonOps_DDRM.multTransB(p[0], p[1], cross);
        double[] sv = SingularOps_DDRM.singularValues(cross);
        Arrays.sort(sv);
        for (int c = 0; c < 4; c++) {
            assertEquals(sv[sv.length - 1 - c], cca.d()[c], 1e-9 * sv[sv.length - 1]);
        }
        // uᵀ·X₁X₂ᵀ·v = diag(d), u and v orthonormal
        DMatrixRMaj tmp = new DMatrixRMaj(4, 18);
        CommonOps_DDRM.multTransA(cca.u(), cross, tmp);
        DMatrixRMaj core = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.mult(tmp, cca.v(), core);
        DMatrixRMaj diag = CommonOps_DDRM.diag(cca.d());
        assertTrue(Matrices.maxAbsDifference(core, diag) < 1e-9 * cca.d()[0]);
        DMatrixRMaj utu = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.multTransA(cca.u(), cca.u(), utu);
        assertTrue(Matrices.maxAbsDifference(utu, CommonOps_DDRM.identity(4)) < 1e-12);
    }

    @Test
    void correlationsAreAtMostOneAndTheFirstMatchesADirectComputation() {
        DMatrixRMaj[] p = pair();
        // Seurat standardises each cell first: the canonical variates are then centred over features
        CellStandardisation.apply(p[0], p[0]);
        CellStandardisation.apply(p[1], p[1]);
        DiagonalCca.Result cca = DiagonalCca.fit(p[0], p[1], 5);
        for (double r : cca.correlations()) {
            assertTrue(r <= 1 + 1e-12 && r >= -1 - 1e-12, "correlation " + r);
        }
        double[] a = new double[F];
        double[] b = new double[F];
        for (int j = 0; j < F; j++) {
            for (int i = 0; i < 25; i++) {
                a[j] += p[0].get(i, j) * cca.u().get(i, 0);
            }
            for (int i = 0; i < 18; i++) {
                b[j] += p[1].get(i, j) * cca.v().get(i, 0);
            }
        }
        assertEquals(Matrices.pearson(a, b), cca.correlations()[0], 1e-10);
        assertTrue(cca.correlations()[0] > 0.5, "shared structure should correlate: " + cca.correlations()[0]);
    }

    @Test
    void refusesMoreDimensionsThanFeatures() {
        DMatrixRMaj[] p = pair();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiagonalCca.fit(p[0], p[1], F + 1));
        assertTrue(e.getMessage().contains("CCA"));
    }
}

package org.gimvi.model.baselines.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;

class DecompositionTest {

    @Test
    void truncatedSvdReconstructsTheMatrixAndAgreesWithEjmlSingularValues() {
        DMatrixRMaj a = Matrices.gaussian(12, 5, 1);
        TruncatedSvd.Result svd = TruncatedSvd.compute(a, 5);
        DMatrixRMaj us = svd.u().copy();
        for (int i = 0; i < us.numRows; i++) {
            for (int c = 0; c < 5; c++) {
                us.set(i, c, us.get(i, c) * svd.s()[c]);
            }
        }
        DMatrixRMaj back = new DMatrixRMaj(12, 5);
        CommonOps_DDRM.multTransB(us, svd.v(), back);
        assertTrue(Matrices.maxAbsDifference(a, back) < 1e-12);
        double[] reference = SingularOps_DDRM.singularValues(a);
        java.util.Arrays.sort(reference);
        for (int c = 0; c < 5; c++) {
            assertEquals(reference[4 - c], svd.s()[c], 1e-12);
        }
        for (int c = 1; c < 5; c++) {
            assertTrue(svd.s()[c - 1] >= svd.s()[c]);
        }
        DMatrixRMaj vtv = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.multTransA(svd.v(), svd.v(), vtv);
        assertTrue(Matrices.maxAbsDifference(vtv, CommonOps_DDRM.identity(5)) < 1e-12);
    }

    @Test
    void signsFollowTheLargestComponentNotTheLibrary() {
        DMatrixRMaj a = Matrices.gaussian(8, 4, 2);
        TruncatedSvd.Result svd = TruncatedSvd.compute(a, 3);
        for (int c = 0; c < 3; c++) {
            double best = 0;
            for (int r = 0; r < 4; r++) {
                if (Math.abs(svd.v().get(r, c)) > Math.abs(best)) {
                    best = svd.v().get(r, c);
                }
            }
            assertTrue(best > 0, "component " + c);
        }
        // −A has the same right vectors under the convention; the left ones flip
        DMatrixRMaj neg = a.copy();
        CommonOps_DDRM.scale(-1, neg);
        TruncatedSvd.Result n = TruncatedSvd.compute(neg, 3);
        assertTrue(Matrices.maxAbsDifference(svd.v(), n.v()) < 1e-12);
        DMatrixRMaj negU = n.u().copy();
        CommonOps_DDRM.scale(-1, negU);
        assertTrue(Matrices.maxAbsDifference(svd.u(), negU) < 1e-12);
    }

    @Test
    void truncatedSvdRefusesTooManyComponents() {
        assertThrows(IllegalArgumentException.class, () -> TruncatedSvd.compute(Matrices.gaussian(3, 2, 0), 3));
    }

    @Test
    void pcaWithAllComponentsReconstructsTheDataAndExplainsAllVariance() {
        DMatrixRMaj x = Matrices.gaussian(30, 4, 3);
        for (int i = 0; i < 30; i++) {
            x.set(i, 1, x.get(i, 1) * 3 + 5); // unequal variances, non-zero mean
        }
        Pca.Result pca = Pca.fit(x, 4);
        DMatrixRMaj back = new DMatrixRMaj(30, 4);
        CommonOps_DDRM.mult(pca.scores(), pca.components(), back);
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 4; j++) {
                back.add(i, j, pca.mean()[j]);
            }
        }
        assertTrue(Matrices.maxAbsDifference(x, back) < 1e-12);
        DMatrixRMaj cov = new DMatrixRMaj(4, 4);
        Covariance.of(x, cov);
        double total = 0;
        for (double v : pca.explainedVariance()) {
            total += v;
        }
        assertEquals(CommonOps_DDRM.trace(cov), total, 1e-10);
        // the first component carries the inflated column
        assertEquals(1, argMaxAbs(pca.components(), 0));
    }

    @Test
    void covarianceMatchesHandComputedValues() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2}, {2, 4}, {3, 9}});
        DMatrixRMaj c = new DMatrixRMaj(1, 1);
        Covariance.of(x, c);
        // means 2, 5; deviations (−1,−3), (0,−1), (1,4)
        assertArrayEquals(new double[] {1, 3.5, 3.5, 13}, c.data, 1e-14);
    }

    @Test
    void symmetricPowersCompose() {
        DMatrixRMaj x = Matrices.gaussian(40, 5, 4);
        DMatrixRMaj c = new DMatrixRMaj(5, 5);
        Covariance.of(x, c);
        for (int j = 0; j < 5; j++) {
            c.add(j, j, 1);
        }
        DMatrixRMaj half = new DMatrixRMaj(1, 1);
        DMatrixRMaj invHalf = new DMatrixRMaj(1, 1);
        SymmetricMatrixPower.power(c, 0.5, half);
        SymmetricMatrixPower.power(c, -0.5, invHalf);
        DMatrixRMaj sq = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.mult(half, half, sq);
        assertTrue(Matrices.maxAbsDifference(sq, c) < 1e-12);
        DMatrixRMaj id = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.mult(half, invHalf, id);
        assertTrue(Matrices.maxAbsDifference(id, CommonOps_DDRM.identity(5)) < 1e-12);
        DMatrixRMaj notPositive = new DMatrixRMaj(new double[][] {{1, 0}, {0, -1}});
        assertThrows(IllegalArgumentException.class, () -> SymmetricMatrixPower.power(notPositive, 0.5, half));
    }

    @Test
    void highlyVariableGenesRankByDispersionAndSkipSilentGenes() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 0, 10, 2}, {1, 0, 0, 4}, {1, 0, 20, 6}});
        // dispersions: 0 (constant), none (zero mean), var 100 / mean 10 = 10, var 4 / mean 4 = 1
        double[] d = HighlyVariableGenes.dispersion(x);
        assertArrayEquals(new double[] {0, 0, 10, 1}, d, 1e-12);
        assertArrayEquals(new int[] {2, 3}, HighlyVariableGenes.select(x, 5));
        assertArrayEquals(new int[] {2}, HighlyVariableGenes.select(x, 1));
        assertArrayEquals(new int[] {2, 3}, HighlyVariableGenes.selectInOrder(x, 2));
    }

    private static int argMaxAbs(DMatrixRMaj rows, int r) {
        int best = 0;
        for (int j = 1; j < rows.numCols; j++) {
            if (Math.abs(rows.get(r, j)) > Math.abs(rows.get(r, best))) {
                best = j;
            }
        }
        return best;
    }
}

package org.gimvi.model.baselines.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class NormalisationTest {

    @Test
    void libraryScalingDividesByTheTotalAndLeavesEmptyCellsAtZero() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 3}, {0, 0}, {2, 2}});
        double[] totals = LibrarySizeNormalisation.rowTotals(x, new double[3]);
        assertArrayEquals(new double[] {4, 0, 4}, totals);
        DMatrixRMaj out = new DMatrixRMaj(1, 1);
        LibrarySizeNormalisation.scaleTo(x, totals, 100, out);
        assertArrayEquals(new double[] {25, 75, 0, 0, 50, 50}, out.data, 1e-12);
    }

    @Test
    void cpmAndLog1pMatchHandComputedValues() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 9}});
        DMatrixRMaj out = LogNormalisation.logNormalise(x, LibrarySizeNormalisation.CPM);
        assertEquals(Math.log(1e5 + 1), out.get(0, 0), 1e-12);
        assertEquals(Math.log(9e5 + 1), out.get(0, 1), 1e-12);
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, Math.E - 1}});
        Log1p.apply(y, y);
        assertArrayEquals(new double[] {0, 1}, y.data, 1e-15);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, LibrarySizeNormalisation.median(new double[] {3, 1, 2}));
        assertEquals(2.5, LibrarySizeNormalisation.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void rowL2NormalisationGivesUnitRowsAndKeepsZeroRows() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{3, 4}, {0, 0}});
        RowL2Normalisation.apply(x, x);
        assertArrayEquals(new double[] {0.6, 0.8, 0, 0}, x.data, 1e-15);
    }

    @Test
    void cellStandardisationCentresAndScalesEachRowAndZeroesConstantRows() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2, 3}, {5, 5, 5}});
        DMatrixRMaj out = new DMatrixRMaj(1, 1);
        int constant = CellStandardisation.apply(x, out);
        assertEquals(1, constant);
        // mean 2, sample sd 1
        assertArrayEquals(new double[] {-1, 0, 1, 0, 0, 0}, out.data, 1e-15);
    }
}

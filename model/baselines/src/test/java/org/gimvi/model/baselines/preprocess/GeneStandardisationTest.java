package org.gimvi.model.baselines.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class GeneStandardisationTest {
    private static final DMatrixRMaj X = new DMatrixRMaj(new double[][] {
            {1, 7, 0.1},
            {2, 7, 0.1},
            {3, 7, 0.1},
            {6, 7, 0.1}});

    @Test
    void constantGenesAreDroppedAndReportedInsteadOfBecomingNaN() {
        GeneStandardisation.Fit fit = GeneStandardisation.fit(X, GeneStandardisation.POPULATION);
        assertArrayEquals(new int[] {0}, fit.kept());
        assertArrayEquals(new int[] {1, 2}, fit.dropped());
        assertEquals("b, c", fit.droppedNames(new String[] {"a", "b", "c"}));
        DMatrixRMaj z = new DMatrixRMaj(1, 1);
        GeneStandardisation.apply(X, fit, Double.POSITIVE_INFINITY, z);
        assertEquals(4, z.numRows);
        assertEquals(1, z.numCols);
        for (double v : z.data) {
            assertFalse(Double.isNaN(v));
        }
        assertThrows(IllegalArgumentException.class,
                () -> GeneStandardisation.applyColumns(X, fit, new int[] {1}, Double.POSITIVE_INFINITY));
    }

    @Test
    void populationAndSampleStandardDeviationsMatchHandComputedValues() {
        // column 0: mean 3, squared deviations 4 + 1 + 0 + 9 = 14
        GeneStandardisation.Fit pop = GeneStandardisation.fit(X, GeneStandardisation.POPULATION);
        GeneStandardisation.Fit sample = GeneStandardisation.fit(X, GeneStandardisation.SAMPLE);
        assertEquals(3, pop.mean()[0], 1e-15);
        assertEquals(Math.sqrt(14 / 4.0), pop.sd()[0], 1e-15);
        assertEquals(Math.sqrt(14 / 3.0), sample.sd()[0], 1e-15);
        DMatrixRMaj z = new DMatrixRMaj(1, 1);
        GeneStandardisation.apply(X, pop, Double.POSITIVE_INFINITY, z);
        assertEquals((6 - 3) / Math.sqrt(3.5), z.get(3, 0), 1e-14);
        double mean = 0;
        double ss = 0;
        for (double v : z.data) {
            mean += v;
            ss += v * v;
        }
        assertEquals(0, mean, 1e-14);
        assertEquals(4, ss, 1e-12); // unit population variance
    }

    @Test
    void clippingBoundsTheScaledValues() {
        GeneStandardisation.Fit fit = GeneStandardisation.fit(X, GeneStandardisation.POPULATION);
        DMatrixRMaj z = new DMatrixRMaj(1, 1);
        GeneStandardisation.apply(X, fit, 1.0, z);
        assertEquals(1.0, z.get(3, 0));
        assertEquals(-1.0, z.get(0, 0));
    }

    @Test
    void keptInBothIsTheIntersection() {
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{1, 1, 1}, {1, 2, 3}});
        GeneStandardisation.Fit a = GeneStandardisation.fit(X, GeneStandardisation.POPULATION); // keeps 0
        GeneStandardisation.Fit b = GeneStandardisation.fit(y, GeneStandardisation.POPULATION); // keeps 1, 2
        assertArrayEquals(new int[0], GeneStandardisation.keptInBoth(a, b));
        assertArrayEquals(new int[] {1, 2}, GeneStandardisation.keptInBoth(b, b));
    }
}

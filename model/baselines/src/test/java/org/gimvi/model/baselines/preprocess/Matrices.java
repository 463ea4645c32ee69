package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;
import org.gimvi.engine.random.Rng;

/** Test fixtures: small seeded matrices. */
final class Matrices {
    private Matrices() {
    }

    static DMatrixRMaj gaussian(int rows, int cols, long seed) {
        Rng rng = new Rng(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rng.nextGaussian();
        }
        return m;
    }

    static double maxAbsDifference(DMatrixRMaj a, DMatrixRMaj b) {
        if (a.numRows != b.numRows || a.numCols != b.numCols) {
            throw new AssertionError("shapes differ: " + a.numRows + "x" + a.numCols + " vs " + b.numRows + "x" + b.numCols);
        }
        double m = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
        }
        return m;
    }

    static double pearson(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}

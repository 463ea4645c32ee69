package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;

/** Sample covariance of the columns of a cells × features matrix (divide by n − 1, as numpy.cov). */
public final class Covariance {
    private Covariance() {
    }

    /** out (features × features) = (X − mean)ᵀ(X − mean)/(n − 1). */
    public static void of(DMatrixRMaj x, DMatrixRMaj out) {
        int n = x.numRows;
        int d = x.numCols;
        if (n < 2) {
            throw new IllegalArgumentException("covariance needs at least 2 cells, got " + n);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        out.reshape(d, d);
        out.zero();
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c[j] = x.data[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                int off = a * d;
                for (int b = a; b < d; b++) {
                    out.data[off + b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double v = out.data[a * d + b] / (n - 1);
                out.data[a * d + b] = v;
                out.data[b * d + a] = v;
            }
        }
    }
}

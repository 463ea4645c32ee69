package org.gimvi.model.baselines.preprocess;

import org.ejml.data.DMatrixRMaj;

/**
 * Principal component analysis of a cells × features matrix: columns centred, then the truncated SVD
 * X_c = U·S·Vᵀ. Components are the rows of Vᵀ (scikit-learn's components_), scores U·S, explained
 * variance s²/(n − 1). Signs follow {@link TruncatedSvd}'s convention.
 */
public final class Pca {
    private Pca() {
    }

    /**
     * @param mean               per feature
     * @param components         k × features, orthonormal rows
     * @param scores             cells × k
     * @param explainedVariance  per component, s²/(n − 1)
     */
    public record Result(double[] mean, DMatrixRMaj components, DMatrixRMaj scores, double[] explainedVariance) {
        public int componentCount() {
            return components.numRows;
        }
    }

    public static Result fit(DMatrixRMaj x, int k) {
        int n = x.numRows;
        int d = x.numCols;
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 cells, got " + n);
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
        DMatrixRMaj centred = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred.data[i * d + j] = x.data[i * d + j] - mean[j];
            }
        }
        TruncatedSvd.Result svd = TruncatedSvd.compute(centred, k);
        DMatrixRMaj components = new DMatrixRMaj(k, d);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                components.set(c, j, svd.v().get(j, c));
            }
        }
        DMatrixRMaj scores = new DMatrixRMaj(n, k);
        double[] variance = new double[k];
        for (int c = 0; c < k; c++) {
            double s = svd.s()[c];
            variance[c] = s * s / (n - 1);
            for (int i = 0; i < n; i++) {
                scores.set(i, c, svd.u().get(i, c) * s);
            }
        }
        return new Result(mean, components, scores, variance);
    }
}

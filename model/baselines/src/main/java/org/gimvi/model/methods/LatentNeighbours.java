package org.gimvi.model.methods;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * Imputation from a joint latent space by neighbours, as the gimVI paper imputes with scVI: a
 * spatial cell's value of a gene is the mean relative expression of that gene over its k nearest
 * scRNA-seq cells in the latent space (Euclidean, posterior means), times the spatial cell's
 * training-gene total L. Relative expression is a scRNA-seq cell's count over its total on the
 * training genes, the same normalisation as the shared-gene kNN, so the result is an expected count
 * given L. Unlike a decoder, the prediction is made of measured scRNA-seq profiles.
 */
public final class LatentNeighbours {
    private LatentNeighbours() {
    }

    /**
     * @param zSeq          scRNA-seq cells × latent dimensions
     * @param zSpatial      spatial cells × latent dimensions
     * @param trainingGenes the spatial training genes' columns in {@code seq}
     * @param targets       the predicted genes' columns in {@code seq}
     * @param library       each spatial cell's training-gene total L
     * @return spatial cells × targets
     */
    public static FMatrixRMaj impute(FMatrixRMaj zSeq, FMatrixRMaj zSpatial, DenseCountMatrix seq, int[] trainingGenes,
                                     int[] targets, double[] library, int k) {
        int n0 = zSeq.numRows;
        int n1 = zSpatial.numRows;
        int kk = Math.min(k, n0);
        if (kk < 1) {
            throw new IllegalArgumentException("latent neighbours: k must be at least 1");
        }
        double[] seqTotal = new double[n0];
        for (int i = 0; i < n0; i++) {
            seqTotal[i] = seq.rowSum(i, trainingGenes);
        }
        KnnResult nn = ExactKnn.search(zSpatial.data, n1, zSeq.data, n0, zSeq.numCols, kk, KnnMetric.EUCLIDEAN, false,
                WorkerPool.shared());
        int g = targets.length;
        FMatrixRMaj out = new FMatrixRMaj(n1, g);
        double[] acc = new double[g];
        for (int i = 0; i < n1; i++) {
            java.util.Arrays.fill(acc, 0);
            for (int r = 0; r < kk; r++) {
                int cell = nn.neighbour(i, r);
                if (seqTotal[cell] > 0) {
                    for (int t = 0; t < g; t++) {
                        acc[t] += seq.get(cell, targets[t]) / seqTotal[cell];
                    }
                }
            }
            for (int t = 0; t < g; t++) {
                out.data[i * g + t] = (float) (library[i] * acc[t] / kk);
            }
        }
        return out;
    }
}

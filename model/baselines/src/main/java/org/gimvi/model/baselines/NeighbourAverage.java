package org.gimvi.model.baselines;

import org.ejml.data.DMatrixRMaj;
import org.gimvi.engine.knn.KnnResult;

/** k-NN regression: each query's value = the mean of its neighbours' rows, uniform or by inverse distance. */
final class NeighbourAverage {
    private NeighbourAverage() {
    }

    /** out[q] = (1/k) Σ values[neighbour]. */
    static DMatrixRMaj uniform(KnnResult nn, int k, DMatrixRMaj values) {
        int g = values.numCols;
        DMatrixRMaj out = new DMatrixRMaj(nn.queries(), g);
        for (int q = 0; q < nn.queries(); q++) {
            for (int r = 0; r < k; r++) {
                int cell = nn.neighbour(q, r);
                for (int t = 0; t < g; t++) {
                    out.data[q * g + t] += values.data[cell * g + t];
                }
            }
            for (int t = 0; t < g; t++) {
                out.data[q * g + t] /= k;
            }
        }
        return out;
    }

    /**
     * Weights 1/d (scikit-learn's weights='distance'); a query at distance 0 from some neighbours takes
     * their mean, as scikit-learn does.
     */
    static DMatrixRMaj inverseDistance(KnnResult nn, int k, DMatrixRMaj values) {
        int g = values.numCols;
        DMatrixRMaj out = new DMatrixRMaj(nn.queries(), g);
        double[] w = new double[k];
        for (int q = 0; q < nn.queries(); q++) {
            boolean exact = nn.distance(q, 0) == 0;
            double sum = 0;
            for (int r = 0; r < k; r++) {
                double d = nn.distance(q, r);
                w[r] = exact ? (d == 0 ? 1 : 0) : 1 / d;
                sum += w[r];
            }
            for (int r = 0; r < k; r++) {
                int cell = nn.neighbour(q, r);
                double wr = w[r] / sum;
                for (int t = 0; t < g; t++) {
                    out.data[q * g + t] += wr * values.data[cell * g + t];
                }
            }
        }
        return out;
    }
}

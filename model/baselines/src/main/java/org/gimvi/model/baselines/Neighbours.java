package org.gimvi.model.baselines;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * Exact k-NN between two sets of cells given as double matrices (the baselines compute in double;
 * the search itself runs on the engine's float kernels), and conversions to the float matrices
 * {@link org.gimvi.model.methods.ImputationResult} carries.
 */
final class Neighbours {
    private Neighbours() {
    }

    /** The k nearest reference rows of each query row (ties by index). */
    static KnnResult search(DMatrixRMaj queries, DMatrixRMaj references, int k, KnnMetric metric) {
        if (queries.numCols != references.numCols) {
            throw new IllegalArgumentException("k-NN: queries have " + queries.numCols + " columns, references "
                    + references.numCols);
        }
        return ExactKnn.search(toFloat(queries), queries.numRows, toFloat(references), references.numRows,
                queries.numCols, k, metric, false, WorkerPool.shared());
    }

    static float[] toFloat(DMatrixRMaj m) {
        float[] out = new float[m.getNumElements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) m.data[i];
        }
        return out;
    }

    static FMatrixRMaj toFloatMatrix(DMatrixRMaj m) {
        return new FMatrixRMaj(m.numRows, m.numCols, true, toFloat(m));
    }
}

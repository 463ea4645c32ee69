package org.gimvi.engine.backend;

import org.ejml.data.FMatrixRMaj;

/**
 * BatchNorm pieces shared by the CPU backends, so that both compute the statistics in the same
 * float operation order (and therefore agree bit for bit).
 */
final class BatchNormChecks {
    private BatchNormChecks() {
    }

    static int trainingRows(FMatrixRMaj x) {
        if (x.numRows < 2) {
            throw new IllegalArgumentException("BatchNorm in training mode needs at least 2 rows in a minibatch, got "
                    + x.numRows + " (the batch variance of one row is undefined); use eval mode or a larger batch");
        }
        return x.numRows;
    }

    /** Per column: mean and biased variance, rows summed in ascending order. */
    static void columnStats(FMatrixRMaj x, float[] mean, float[] var) {
        columnStats(x, 0, mean, var);
    }

    /**
     * {@link #columnStats(FMatrixRMaj, float[], float[])} for columns {@code fromCol..} only: the SIMD
     * backend's tail past its last full vector, with the same float order as the scalar backend.
     */
    static void columnStats(FMatrixRMaj x, int fromCol, float[] mean, float[] var) {
        int rows = x.numRows;
        int cols = x.numCols;
        float[] d = x.data;
        float fr = rows;
        for (int j = fromCol; j < cols; j++) {
            float s = 0f;
            for (int i = 0; i < rows; i++) {
                s += d[i * cols + j];
            }
            float m = s / fr;
            float v = 0f;
            for (int i = 0; i < rows; i++) {
                float dev = d[i * cols + j] - m;
                v += dev * dev;
            }
            mean[j] = m;
            var[j] = v / fr;
        }
    }

    /** PyTorch semantics: running estimates see the unbiased (n − 1) variance. */
    static void updateRunning(int rows, int cols, float momentum, float[] mean, float[] biasedVar,
                              float[] runningMean, float[] runningVar) {
        float keep = 1f - momentum;
        float unbias = (float) rows / (rows - 1);
        for (int j = 0; j < cols; j++) {
            runningMean[j] = keep * runningMean[j] + momentum * mean[j];
            runningVar[j] = keep * runningVar[j] + momentum * (biasedVar[j] * unbias);
        }
    }

    /** Eval mode folds to y = x·scale + shift. */
    static void evalAffine(float[] gamma, int gammaOff, float[] beta, int betaOff, float eps, float[] runningMean,
                           float[] runningVar, int cols, float[] scale, float[] shift) {
        for (int j = 0; j < cols; j++) {
            float s = gamma[gammaOff + j] * (float) (1.0 / Math.sqrt(runningVar[j] + eps));
            scale[j] = s;
            shift[j] = beta[betaOff + j] - runningMean[j] * s;
        }
    }
}

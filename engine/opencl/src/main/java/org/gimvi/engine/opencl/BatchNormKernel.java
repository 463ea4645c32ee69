package org.gimvi.engine.opencl;

import com.aparapi.Kernel;

/**
 * BatchNorm1d over the rows of a B×C matrix, one work item per column (which walks the rows; adjacent
 * columns are adjacent addresses). Training forward: batch mean and biased variance (rows in
 * ascending order, as the CPU backends), x̂, y = γx̂ + β, and the running estimates with the unbiased
 * variance; eval forward from the running estimates; training backward with dγ, dβ accumulated.
 */
public final class BatchNormKernel extends Kernel {
    static final int TRAIN = 0;
    static final int EVAL = 1;
    static final int BACKWARD = 2;

    int op;
    int rows;
    int cols;
    float eps;
    float momentum;
    /** rows / (rows − 1), computed on the host as the CPU backends do. */
    float unbias;

    float[] x;        // forward input (backward: dy)
    float[] xhat;
    float[] y;        // forward output (backward: dx)
    float[] gamma;
    float[] beta;     // backward: dBeta
    float[] runMean;
    float[] runVar;
    float[] mean;     // backward: dGamma
    float[] invStd;

    @Override
    public void run() {
        int j = getGlobalId(0);
        if (j < cols) {
            if (op == TRAIN) {
                train(j);
            } else if (op == EVAL) {
                eval(j);
            } else {
                backward(j);
            }
        }
    }

    private void train(int j) {
        float fr = rows;
        float s = 0f;
        for (int i = 0; i < rows; i++) {
            s += x[i * cols + j];
        }
        float m = s / fr;
        float v = 0f;
        for (int i = 0; i < rows; i++) {
            float dev = x[i * cols + j] - m;
            v += dev * dev;
        }
        float var = v / fr;
        float is = 1f / sqrt(var + eps);
        mean[j] = m;
        invStd[j] = is;
        float g = gamma[j];
        float bt = beta[j];
        for (int i = 0; i < rows; i++) {
            float xh = (x[i * cols + j] - m) * is;
            xhat[i * cols + j] = xh;
            y[i * cols + j] = g * xh + bt;
        }
        float keep = 1f - momentum;
        runMean[j] = keep * runMean[j] + momentum * m;
        runVar[j] = keep * runVar[j] + momentum * (var * unbias);
    }

    private void eval(int j) {
        float sc = gamma[j] * (1f / sqrt(runVar[j] + eps));
        float sh = beta[j] - runMean[j] * sc;
        for (int i = 0; i < rows; i++) {
            y[i * cols + j] = x[i * cols + j] * sc + sh;
        }
    }

    private void backward(int j) {
        float a = 0f;
        float b = 0f;
        for (int i = 0; i < rows; i++) {
            float g = x[i * cols + j];
            a += g;
            b += g * xhat[i * cols + j];
        }
        beta[j] = beta[j] + a;
        mean[j] = mean[j] + b;
        float fr = rows;
        float k = gamma[j] * invStd[j] / fr;
        for (int i = 0; i < rows; i++) {
            float t = x[i * cols + j] * fr - a - xhat[i * cols + j] * b;
            y[i * cols + j] = k * t;
        }
    }
}

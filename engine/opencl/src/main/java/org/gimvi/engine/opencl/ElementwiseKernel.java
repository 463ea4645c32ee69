package org.gimvi.engine.opencl;

/**
 * The elementwise families, one work item per element: {@code out[i] = f(x[i], z[i])} for the op
 * chosen by {@link #op}. One class for all of them, so that pocl and the GPU driver compile it once.
 * Inputs and the output are distinct arrays (the backend copies an aliased input first).
 */
public final class ElementwiseKernel extends DeviceMath {
    static final int EXP = 0;
    static final int LOG = 1;
    static final int LOG1P = 2;
    static final int SOFTPLUS = 3;
    static final int SIGMOID = 4;
    static final int LGAMMA = 5;
    static final int DIGAMMA = 6;
    static final int RELU = 7;
    /** out = z where x &gt; 0 (x: the ReLU output, z: dy). */
    static final int RELU_BACKWARD = 8;
    static final int MUL = 9;
    /** out = fma(alpha, x, out). */
    static final int AXPY = 10;
    /** out = alpha·x. */
    static final int SCALE = 11;
    /** out[i] = x[i] + z[i / cols] (one value per row). */
    static final int ADD_TO_ROWS = 12;

    float[] x;
    float[] z;
    float[] out;
    float alpha;
    int n;
    int cols;
    int op;

    @Override
    public void run() {
        int i = getGlobalId(0);
        if (i < n) {
            float v = x[i];
            float r = 0f;
            if (op == EXP) {
                r = exp(v);
            } else if (op == LOG) {
                r = log(v);
            } else if (op == LOG1P) {
                r = log1p(v);
            } else if (op == SOFTPLUS) {
                r = softplusF(v);
            } else if (op == SIGMOID) {
                r = sigmoidF(v);
            } else if (op == LGAMMA) {
                r = lgammaF(v);
            } else if (op == DIGAMMA) {
                r = digammaF(v);
            } else if (op == RELU) {
                r = v != v ? v : max(v, 0f); // NaN stays NaN, as Math.max on the CPU
            } else if (op == RELU_BACKWARD) {
                r = v > 0f ? z[i] : 0f;
            } else if (op == MUL) {
                r = v * z[i];
            } else if (op == AXPY) {
                r = fma(alpha, v, out[i]);
            } else if (op == SCALE) {
                r = alpha * v;
            } else {
                r = v + z[i / cols];
            }
            out[i] = r;
        }
    }
}

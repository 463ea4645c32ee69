package org.gimvi.engine.opencl;

/**
 * Row-wise operations on a rows×cols matrix, one work group of {@link #GROUP} items per row: the row
 * is strided over the group and reduced in local memory by a tree, so a 20,000-gene row is spread
 * over the group instead of one work item. Ops: softmax, log-softmax (max-shifted, as the CPU
 * backends), and row sums.
 */
public final class RowKernel extends DeviceMath {
    static final int GROUP = 64;
    static final int SOFTMAX = 0;
    static final int LOG_SOFTMAX = 1;
    static final int SUM = 2;

    float[] x;
    float[] out;
    int cols;
    int op;

    @Local
    final float[] partial = new float[GROUP];

    @Override
    public void run() {
        int row = getGroupId(0);
        int lid = getLocalId(0);
        int base = row * cols;
        if (op == SUM) {
            float s = 0f;
            for (int j = lid; j < cols; j += GROUP) {
                s += x[base + j];
            }
            float total = reduceSum(lid, s);
            if (lid == 0) {
                out[row] = total;
            }
        } else {
            float mx = -3.4028235e38f;
            for (int j = lid; j < cols; j += GROUP) {
                mx = max(mx, x[base + j]);
            }
            float rowMax = reduceMax(lid, mx);
            float s = 0f;
            for (int j = lid; j < cols; j += GROUP) {
                s += exp(x[base + j] - rowMax);
            }
            float sum = reduceSum(lid, s);
            float logSum = log(sum);
            for (int j = lid; j < cols; j += GROUP) {
                float v = x[base + j] - rowMax;
                out[base + j] = op == LOG_SOFTMAX ? v - logSum : exp(v) / sum;
            }
        }
    }

    private float reduceSum(int lid, float v) {
        partial[lid] = v;
        localBarrier();
        for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
            if (lid < stride) {
                partial[lid] = partial[lid] + partial[lid + stride];
            }
            localBarrier();
        }
        float r = partial[0];
        localBarrier();
        return r;
    }

    private float reduceMax(int lid, float v) {
        partial[lid] = v;
        localBarrier();
        for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
            if (lid < stride) {
                partial[lid] = max(partial[lid], partial[lid + stride]);
            }
            localBarrier();
        }
        float r = partial[0];
        localBarrier();
        return r;
    }
}

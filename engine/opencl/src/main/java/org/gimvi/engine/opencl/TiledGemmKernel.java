package org.gimvi.engine.opencl;

import com.aparapi.Kernel;

/**
 * C = init + op(A)·op(B) in 16×16 tiles staged through local memory. Operands are addressed through
 * strides, A(i,p) = a[i·aRow + p·aCol] and B(p,j) = b[p·bRow + j·bCol], so one kernel serves the three
 * forms a training step uses: A·B, Aᵀ·B (weight gradients) and A·Bᵀ (input gradients).
 *
 * <p>Each work item owns one element of C and accumulates it as one fused-multiply-add chain over p in
 * ascending order, starting from init, exactly as {@link org.gimvi.engine.kernels.Gemm} defines the
 * product. The inner loop stops at k instead of multiplying padded zeros, so that (OpenCL's fma being
 * correctly rounded) the result has the same bits as the CPU backends, signed zeros included.
 */
public final class TiledGemmKernel extends Kernel {
    static final int TILE = 16;

    float[] a;
    float[] b;
    float[] c;
    float[] bias;
    int m;
    int n;
    int k;
    int aRow;
    int aCol;
    int bRow;
    int bCol;
    /** 0: start from zero, 1: from bias[j], 2: from C (accumulate). */
    int init;

    @Local
    final float[] tileA = new float[TILE * TILE];
    @Local
    final float[] tileB = new float[TILE * TILE];

    @Override
    public void run() {
        int lx = getLocalId(0);
        int ly = getLocalId(1);
        int col = getGroupId(0) * TILE + lx;
        int row = getGroupId(1) * TILE + ly;
        boolean inside = row < m && col < n;
        float acc = 0f;
        if (inside) {
            if (init == 1) {
                acc = bias[col];
            } else if (init == 2) {
                acc = c[row * n + col];
            }
        }
        for (int p0 = 0; p0 < k; p0 += TILE) {
            // tileA[ly][lx] = A(row, p0 + lx); tileB[ly][lx] = B(p0 + ly, col)
            int pa = p0 + lx;
            tileA[ly * TILE + lx] = (row < m && pa < k) ? a[row * aRow + pa * aCol] : 0f;
            int pb = p0 + ly;
            tileB[ly * TILE + lx] = (pb < k && col < n) ? b[pb * bRow + col * bCol] : 0f;
            localBarrier();
            int len = min(TILE, k - p0);
            for (int q = 0; q < len; q++) {
                acc = fma(tileA[ly * TILE + q], tileB[q * TILE + lx], acc);
            }
            localBarrier();
        }
        if (inside) {
            c[row * n + col] = acc;
        }
    }
}

package org.gimvi.engine.opencl;

import com.aparapi.Kernel;

/**
 * The same product as {@link TiledGemmKernel} (same fields, same fma chain per element, so the same
 * bits) without local memory: one work item per element of C reading A and B straight from global
 * memory. For OpenCL devices that are CPUs (pocl), where local memory is ordinary cache and every
 * work-group barrier splits the kernel into separate loops: on pocl it ran the model's products 1.2–2×
 * faster than the tiled kernel (a loaded 2-core machine; benchmarks/README.md).
 */
public final class DirectGemmKernel extends Kernel {
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
    int init;

    @Override
    public void run() {
        int col = getGlobalId(0);
        int row = getGlobalId(1);
        if (row < m && col < n) {
            float acc = 0f;
            if (init == 1) {
                acc = bias[col];
            } else if (init == 2) {
                acc = c[row * n + col];
            }
            int ai = row * aRow;
            int bi = col * bCol;
            for (int p = 0; p < k; p++) {
                acc = fma(a[ai], b[bi], acc);
                ai += aCol;
                bi += bRow;
            }
            c[row * n + col] = acc;
        }
    }
}

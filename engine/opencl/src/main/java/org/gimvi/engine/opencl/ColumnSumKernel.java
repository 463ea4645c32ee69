package org.gimvi.engine.opencl;

import com.aparapi.Kernel;

/**
 * out[j] (+)= Σ_i x[i][j], one work item per column, rows added in ascending order in float: the CPU
 * backends' order, so the sums have the same bits (neighbouring work items read neighbouring
 * addresses, so the column walk is still coalesced).
 */
public final class ColumnSumKernel extends Kernel {
    float[] x;
    float[] out;
    int rows;
    int cols;
    int accumulate;

    @Override
    public void run() {
        int j = getGlobalId(0);
        if (j < cols) {
            float s = accumulate == 1 ? out[j] : 0f;
            for (int i = 0; i < rows; i++) {
                s += x[i * cols + j];
            }
            out[j] = s;
        }
    }
}

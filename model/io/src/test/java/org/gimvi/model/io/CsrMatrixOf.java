package org.gimvi.model.io;

import java.util.Arrays;
import org.gimvi.engine.matrix.CsrMatrix;

/** Test helper: a row-major dense array as CSR. */
final class CsrMatrixOf {
    private CsrMatrixOf() {
    }

    static CsrMatrix dense(int rows, int cols, float[] x) {
        int[] ptr = new int[rows + 1];
        int[] idx = new int[x.length];
        float[] val = new float[x.length];
        int at = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float v = x[i * cols + j];
                if (v != 0) {
                    idx[at] = j;
                    val[at++] = v;
                }
            }
            ptr[i + 1] = at;
        }
        return new CsrMatrix(rows, cols, ptr, Arrays.copyOf(idx, at), Arrays.copyOf(val, at));
    }
}

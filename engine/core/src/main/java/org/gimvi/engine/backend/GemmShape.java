package org.gimvi.engine.backend;

import org.ejml.data.FMatrixRMaj;

/** Checks the operand shapes of a GEMM call and derives the strides for A. */
final class GemmShape {
    final int m;
    final int n;
    final int k;
    final int aRowStride;
    final int aColStride;

    private GemmShape(int m, int n, int k, int aRowStride, int aColStride) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.aRowStride = aRowStride;
        this.aColStride = aColStride;
    }

    // Mutable twin used on the hot path so that shape checking allocates nothing.
    static final class Mutable {
        int m;
        int n;
        int k;
        int aRowStride;
        int aColStride;
    }

    static GemmShape of(boolean transA, boolean transB, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c, float[] bias) {
        Mutable s = new Mutable();
        check(transA, transB, a, b, c, bias, s);
        return new GemmShape(s.m, s.n, s.k, s.aRowStride, s.aColStride);
    }

    static void check(boolean transA, boolean transB, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c,
                      float[] bias, Mutable out) {
        int m = transA ? a.numCols : a.numRows;
        int k = transA ? a.numRows : a.numCols;
        int kb = transB ? b.numCols : b.numRows;
        int n = transB ? b.numRows : b.numCols;
        if (k != kb || c.numRows != m || c.numCols != n) {
            throw new IllegalArgumentException("GEMM shape mismatch: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + c.numRows + "x" + c.numCols);
        }
        if (bias != null && bias.length < n) {
            throw new IllegalArgumentException("GEMM bias has " + bias.length + " entries, C has " + n + " columns");
        }
        if (c.data == a.data || c.data == b.data) {
            throw new IllegalArgumentException("GEMM output must not alias an input");
        }
        out.m = m;
        out.n = n;
        out.k = k;
        out.aRowStride = transA ? 1 : a.numCols;
        out.aColStride = transA ? a.numCols : 1;
    }
}

package org.gimvi.engine.backend;

/** Checks the operand shapes of a GEMM call (one clear line on a mismatch) and whether C overlaps an input. */
public final class GemmShape {
    private GemmShape() {
    }

    /**
     * Fails unless op(A) (stored aRows×aCols) times op(B) (stored bRows×bCols) fits C, and a bias
     * (when {@code biasLength} ≥ 0) has at least C's columns.
     */
    public static void require(Transpose transA, Transpose transB, int aRows, int aCols, int bRows, int bCols,
                        int cRows, int cCols, int biasLength) {
        boolean at = transA == Transpose.TRANSPOSED;
        boolean bt = transB == Transpose.TRANSPOSED;
        int m = at ? aCols : aRows;
        int k = at ? aRows : aCols;
        int kb = bt ? bCols : bRows;
        int n = bt ? bRows : bCols;
        if (k != kb || cRows != m || cCols != n) {
            throw new IllegalArgumentException("GEMM shape mismatch: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + cRows + "x" + cCols);
        }
        if (biasLength >= 0 && biasLength < n) {
            throw new IllegalArgumentException("GEMM bias has " + biasLength + " entries, C has " + n + " columns");
        }
    }

    /** Fails when C's range [cOff, cOff + m·n) shares an element with A's or B's range. */
    public static void requireNoOverlap(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        long cEnd = cOff + (long) m * n;
        if (overlaps(c, cOff, cEnd, a, aOff, aOff + (long) m * k) || overlaps(c, cOff, cEnd, b, bOff, bOff + (long) k * n)) {
            throw new IllegalArgumentException("GEMM output must not alias an input");
        }
    }

    private static boolean overlaps(float[] x, long x0, long x1, float[] y, long y0, long y1) {
        return x == y && x0 < y1 && y0 < x1;
    }
}

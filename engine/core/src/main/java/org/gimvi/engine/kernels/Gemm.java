package org.gimvi.engine.kernels;

/**
 * The one definition of matrix multiplication used in gimvi-java, as a plain scalar loop.
 *
 * <p>{@code C[i][j] = init(i, j) + Σ_p A(i,p)·B[p][j]} where the sum is a chain of fused
 * multiply-adds over p in ascending order, and {@code init} is C itself (accumulate), the bias
 * {@code bias[j]}, or 0. Because every element is one fma chain in a fixed order, any blocking,
 * vectorisation or thread split that keeps that chain gives the same bits: {@link SimdGemm} is
 * tested for exact equality with this class.
 *
 * <p>A is addressed through strides so that one routine covers A·B ({@code aRowStride = lda,
 * aColStride = 1}) and Aᵀ·B ({@code aRowStride = 1, aColStride = lda}). B and C are row-major
 * with unit column stride. A·Bᵀ is computed by transposing B into scratch space first.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * C (m×n) = init + A'(m×k)·B(k×n), with A'(i,p) = a[aOff + i·aRowStride + p·aColStride].
     *
     * @param bias       length ≥ n, added as the initial value when not accumulating; may be null
     * @param accumulate start from the current C instead of bias/zero
     */
    public static void scalar(int m, int n, int k,
                              float[] a, int aOff, int aRowStride, int aColStride,
                              float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc,
                              float[] bias, boolean accumulate) {
        scalar(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc, bias, 0, accumulate);
    }

    /** As above with the bias read from {@code bias[biasOff ..]} (a bias inside a parameter arena). */
    public static void scalar(int m, int n, int k,
                              float[] a, int aOff, int aRowStride, int aColStride,
                              float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc,
                              float[] bias, int biasOff, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * aRowStride;
            int cRow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float acc = accumulate ? c[cRow + j] : (bias != null ? bias[biasOff + j] : 0f);
                int bIdx = bOff + j;
                int aIdx = aRow;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[aIdx], b[bIdx], acc);
                    aIdx += aColStride;
                    bIdx += ldb;
                }
                c[cRow + j] = acc;
            }
        }
    }

    /** dst (cols×rows) = srcᵀ for a row-major rows×cols source. */
    public static void transpose(float[] src, int rows, int cols, float[] dst) {
        transpose(src, 0, rows, cols, dst);
    }

    /** dst (cols×rows) = srcᵀ for the row-major rows×cols block at {@code src[srcOff ..]}. */
    public static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst) {
        // Blocked so that both sides stay in L1 for wide matrices.
        final int block = 32;
        for (int i0 = 0; i0 < rows; i0 += block) {
            int iEnd = Math.min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int jEnd = Math.min(cols, j0 + block);
                for (int i = i0; i < iEnd; i++) {
                    int s = srcOff + i * cols;
                    for (int j = j0; j < jEnd; j++) {
                        dst[j * rows + i] = src[s + j];
                    }
                }
            }
        }
    }
}

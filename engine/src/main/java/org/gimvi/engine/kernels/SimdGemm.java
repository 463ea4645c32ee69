package org.gimvi.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * Register-tiled GEMM on the Vector API with exactly the semantics of {@link Gemm#scalar}: each
 * C element is one fma chain over p in ascending order, so the result is bit-identical to the scalar
 * reference whatever the tiling, vector width or thread split.
 *
 * <p>Tiling: 4 rows of C × 2 vectors of columns (8 accumulators, 4 broadcasts and 2 loads of B per
 * step of p), then a 4×1-vector tile, then narrower species (256- and 128-bit) for the column tail,
 * and scalar columns last. Masked loads are avoided on purpose: on JDK 17 they are about 8× slower
 * than plain loads (java-stack.md §4). Each width needs its own code because a species only
 * compiles to vector instructions when it is a {@code static final} constant.
 *
 * <p>Parallelism ({@link Job}): rows are cut into blocks of 32 whose count depends only on m, and
 * only when the product is large enough (≥ 2 MFLOP) to repay the dispatch (≈ 8 µs measured).
 */
public final class SimdGemm {
    private SimdGemm() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;
    private static final int L = F.length();
    private static final int L256 = F256.length();
    private static final int L128 = F128.length();
    private static final long PARALLEL_MIN_FLOPS = 2_000_000L;
    private static final int ROWS_PER_TASK = 32;

    /**
     * Same contract as {@link Gemm#scalar}, single-threaded. For large products use a {@link Job},
     * which splits rows over a {@link WorkerPool} without allocating.
     */
    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc,
                            float[] bias, boolean accumulate) {
        rows(0, m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
    }

    /**
     * A reusable parallel GEMM: the operands are set as fields, so a training step dispatches a
     * large product to the pool without creating a lambda. One job per backend (not thread-safe).
     */
    public static final class Job implements WorkerPool.Task {
        private int m;
        private int n;
        private int k;
        private float[] a;
        private int aOff;
        private int ars;
        private int acs;
        private float[] b;
        private int bOff;
        private int ldb;
        private float[] c;
        private int cOff;
        private int ldc;
        private float[] bias;
        private boolean accumulate;

        /** Runs the product, splitting rows over {@code pool} when it is big enough to pay. */
        public void run(int m, int n, int k,
                        float[] a, int aOff, int aRowStride, int aColStride,
                        float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc,
                        float[] bias, boolean accumulate, WorkerPool pool) {
            long flops = 2L * m * n * k;
            int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
            if (pool == null || flops < PARALLEL_MIN_FLOPS || tasks < 2 || pool.threads() < 2) {
                rows(0, m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
                return;
            }
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.ars = aRowStride;
            this.acs = aColStride;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.bias = bias;
            this.accumulate = accumulate;
            try {
                pool.forEach(tasks, this);
            } finally {
                this.a = null;
                this.b = null;
                this.c = null;
                this.bias = null;
            }
        }

        @Override
        public void run(int task) {
            int r0 = task * ROWS_PER_TASK;
            int r1 = Math.min(m, r0 + ROWS_PER_TASK);
            rows(r0, r1, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
        }
    }

    /** Rows [r0, r1) of C, single-threaded. */
    static void rows(int r0, int r1, int n, int k,
                     float[] a, int aOff, int ars, int acs,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     float[] bias, boolean accumulate) {
        int i = r0;
        for (; i + 4 <= r1; i += 4) {
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                tile4x2(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
            }
            for (; j + L <= n; j += L) {
                tile4x1(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
            }
            for (int r = i; r < i + 4; r++) {
                narrowTail(r, j, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
            }
        }
        for (; i < r1; i++) {
            int j = 0;
            for (; j + L <= n; j += L) {
                row1(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
            }
            narrowTail(i, j, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, accumulate);
        }
    }

    private static FloatVector init(VectorSpecies<Float> s, float[] c, int cIdx, float[] bias, int j, boolean accumulate) {
        if (accumulate) {
            return FloatVector.fromArray(s, c, cIdx);
        }
        return bias != null ? FloatVector.fromArray(s, bias, j) : FloatVector.zero(s);
    }

    private static void tile4x2(int i, int j, int k, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                float[] bias, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector acc00 = init(F, c, c0, bias, j, accumulate);
        FloatVector acc01 = init(F, c, c0 + L, bias, j + L, accumulate);
        FloatVector acc10 = init(F, c, c1, bias, j, accumulate);
        FloatVector acc11 = init(F, c, c1 + L, bias, j + L, accumulate);
        FloatVector acc20 = init(F, c, c2, bias, j, accumulate);
        FloatVector acc21 = init(F, c, c2 + L, bias, j + L, accumulate);
        FloatVector acc30 = init(F, c, c3, bias, j, accumulate);
        FloatVector acc31 = init(F, c, c3 + L, bias, j + L, accumulate);
        int a0 = aOff + i * ars;
        int bIdx = bOff + j;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(F, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(F, b, bIdx + L);
            FloatVector x0 = FloatVector.broadcast(F, a[a0]);
            FloatVector x1 = FloatVector.broadcast(F, a[a0 + ars]);
            FloatVector x2 = FloatVector.broadcast(F, a[a0 + 2 * ars]);
            FloatVector x3 = FloatVector.broadcast(F, a[a0 + 3 * ars]);
            acc00 = x0.fma(b0, acc00);
            acc01 = x0.fma(b1, acc01);
            acc10 = x1.fma(b0, acc10);
            acc11 = x1.fma(b1, acc11);
            acc20 = x2.fma(b0, acc20);
            acc21 = x2.fma(b1, acc21);
            acc30 = x3.fma(b0, acc30);
            acc31 = x3.fma(b1, acc31);
            a0 += acs;
            bIdx += ldb;
        }
        acc00.intoArray(c, c0);
        acc01.intoArray(c, c0 + L);
        acc10.intoArray(c, c1);
        acc11.intoArray(c, c1 + L);
        acc20.intoArray(c, c2);
        acc21.intoArray(c, c2 + L);
        acc30.intoArray(c, c3);
        acc31.intoArray(c, c3 + L);
    }

    private static void tile4x1(int i, int j, int k, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                float[] bias, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector acc0 = init(F, c, c0, bias, j, accumulate);
        FloatVector acc1 = init(F, c, c1, bias, j, accumulate);
        FloatVector acc2 = init(F, c, c2, bias, j, accumulate);
        FloatVector acc3 = init(F, c, c3, bias, j, accumulate);
        int a0 = aOff + i * ars;
        int bIdx = bOff + j;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(F, b, bIdx);
            acc0 = FloatVector.broadcast(F, a[a0]).fma(b0, acc0);
            acc1 = FloatVector.broadcast(F, a[a0 + ars]).fma(b0, acc1);
            acc2 = FloatVector.broadcast(F, a[a0 + 2 * ars]).fma(b0, acc2);
            acc3 = FloatVector.broadcast(F, a[a0 + 3 * ars]).fma(b0, acc3);
            a0 += acs;
            bIdx += ldb;
        }
        acc0.intoArray(c, c0);
        acc1.intoArray(c, c1);
        acc2.intoArray(c, c2);
        acc3.intoArray(c, c3);
    }

    private static void row1(int i, int j, int k, float[] a, int aOff, int ars, int acs,
                             float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                             float[] bias, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        FloatVector acc = init(F, c, c0, bias, j, accumulate);
        int a0 = aOff + i * ars;
        int bIdx = bOff + j;
        for (int p = 0; p < k; p++) {
            acc = FloatVector.broadcast(F, a[a0]).fma(FloatVector.fromArray(F, b, bIdx), acc);
            a0 += acs;
            bIdx += ldb;
        }
        acc.intoArray(c, c0);
    }

    /** Columns [j, n) of row i, where fewer than L remain: 256-bit, 128-bit, then scalar. */
    private static void narrowTail(int i, int j, int n, int k, float[] a, int aOff, int ars, int acs,
                                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                   float[] bias, boolean accumulate) {
        int cRow = cOff + i * ldc;
        int aRow = aOff + i * ars;
        if (L256 < L) {
            for (; j + L256 <= n; j += L256) {
                FloatVector acc = init(F256, c, cRow + j, bias, j, accumulate);
                int a0 = aRow;
                int bIdx = bOff + j;
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.broadcast(F256, a[a0]).fma(FloatVector.fromArray(F256, b, bIdx), acc);
                    a0 += acs;
                    bIdx += ldb;
                }
                acc.intoArray(c, cRow + j);
            }
        }
        if (L128 < L) {
            for (; j + L128 <= n; j += L128) {
                FloatVector acc = init(F128, c, cRow + j, bias, j, accumulate);
                int a0 = aRow;
                int bIdx = bOff + j;
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.broadcast(F128, a[a0]).fma(FloatVector.fromArray(F128, b, bIdx), acc);
                    a0 += acs;
                    bIdx += ldb;
                }
                acc.intoArray(c, cRow + j);
            }
        }
        for (; j < n; j++) {
            float acc = accumulate ? c[cRow + j] : (bias != null ? bias[j] : 0f);
            int a0 = aRow;
            int bIdx = bOff + j;
            for (int p = 0; p < k; p++) {
                acc = Math.fma(a[a0], b[bIdx], acc);
                a0 += acs;
                bIdx += ldb;
            }
            c[cRow + j] = acc;
        }
    }
}

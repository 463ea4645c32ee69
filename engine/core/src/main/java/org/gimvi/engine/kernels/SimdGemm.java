package org.gimvi.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * Register-tiled GEMM on the Vector API with exactly the semantics of {@link Gemm#scalar}: each
 * C element is one fma chain over p in ascending order, so the result is bit-identical to the scalar
 * reference whatever the tiling, vector width or thread split.
 *
 * <p>Tiling: 4 rows of C × 2 vectors of columns (8 accumulators, 4 broadcasts and 2 loads of B per
 * step of p), then a 4×1-vector tile; the last &lt; L columns go through a zero-padded packed panel on
 * full-width vectors. Masked loads are avoided on purpose (about 8× slower than plain loads on JDK
 * 17, java-stack.md §4), and so are narrower species (JDK 17 runs them un-intrinsified next to
 * 512-bit code). The species is a {@code static final} constant, never a parameter.
 *
 * <p>Parallelism ({@link Job}): rows are cut into blocks of 32 (or, for C of at most 32 rows, columns
 * into blocks of whole 4-vector strips), only when the product is large enough (≥ 2 MFLOP) to repay
 * the dispatch (≈ 8 µs measured). The split never changes a bit: each element is one chain.
 */
public final class SimdGemm {
    private SimdGemm() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final long PARALLEL_MIN_FLOPS = 2_000_000L;
    private static final int ROWS_PER_TASK = 32;
    /** Steps of p per pass over a row block ({@link #rows}): 256 rows of a 4×2 tile's B panel are 32 KiB, an L1. */
    static final int K_BLOCK = 256;

    /**
     * Gets every tile kernel compiled by C2 the normal way (by invocation count) before real work
     * starts. If the first call is a large product, HotSpot instead compiles the long inner loop by
     * on-stack replacement with the vector accumulators live across the entry; on JDK 17 that code
     * boxes them and the method never recovers (1024³ measured at 8 GFLOP/s instead of 60). Short
     * calls covering the 4×2-vector, 4×1-vector, padded-tail and single-row paths avoid it; the cost
     * is a few milliseconds once per JVM. Every eighth call has a longer inner dimension, so the
     * profile C2 compiles from has seen both branches of the tail-panel growth and loops longer than
     * a vector (otherwise the first real product deoptimises the freshly compiled tails).
     */
    private static boolean warmUp() {
        int m = 13; // 8-row and 4-row tail blocks, and a single row
        int nMax = 4 * L + 3; // the single row alternates 1×2 + 1×1 vector tiles (3L) with a 1×4 tile (4L)
        int kMax = 2 * L + 1;
        float[] a = new float[m * kMax];
        float[] b = new float[kMax * nMax];
        float[] c = new float[m * nMax];
        float[] bias = new float[nMax];
        float[] aT = new float[L * kMax]; // the weight-gradient form: A's row stride 1, rows on the lanes
        float[] cT = new float[L * nMax];
        for (int rep = 0; rep < 12_000; rep++) {
            int k = (rep & 7) == 7 ? kMax : 3;
            int n = (rep & 4) == 0 ? 3 * L + 3 : nMax;
            rows(0, m, n, k, a, 0, k, 1, b, 0, n, c, 0, n, (rep & 1) == 0 ? null : bias, 0, (rep & 2) == 0);
            int tail = 1 + rep % 6; // one to six tail columns: a full group of four and a partial one
            rows(0, L, tail, k, aT, 0, 1, L, b, 0, tail, cT, 0, tail, (rep & 1) == 0 ? null : bias, 0, (rep & 2) == 0);
        }
        return true;
    }

    /**
     * Runs {@link #warmUp} once, on first use of a public entry point. It lives in its own holder
     * class, not in SimdGemm's static initialiser: code C2 compiles while a class is still being
     * initialised carries class-initialisation guards, and the first call after initialisation
     * trips them, so every warmed kernel was thrown away and compiled again (seen as "initialized"
     * deoptimisations at bytecode 0 of init, packTail and paddedTail8).
     */
    private static final class WarmedUp {
        private static final boolean DONE = warmUp();

        private WarmedUp() {
        }

        /** Initialises this class (and so warms up) on the first call; free once compiled. */
        static void ensure() {
        }
    }

    /**
     * Same contract as {@link Gemm#scalar}, single-threaded. For large products use a {@link Job},
     * which splits rows over a {@link WorkerPool} without allocating.
     */
    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc,
                            float[] bias, boolean accumulate) {
        gemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc, bias, 0, accumulate);
    }

    /** As above with the bias read from {@code bias[biasOff ..]} (a bias inside a parameter arena). */
    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc,
                            float[] bias, int biasOff, boolean accumulate) {
        WarmedUp.ensure();
        rows(0, m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
    }

    /**
     * A reusable parallel GEMM: the operands are set as fields, so a training step dispatches a
     * large product to the pool without creating a lambda. Not thread-safe: the backends keep one
     * per thread.
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
        private int biasOff;
        private boolean accumulate;
        private int columnsPerTask; // 0: tasks are blocks of rows

        /**
         * Runs the product, splitting it over {@code pool} when it is big enough to pay: by blocks of
         * rows, or, when C has too few rows for two blocks (a decoder head's 10 × G weight gradient),
         * by blocks of columns. Every C element is the same fma chain whichever split runs it.
         */
        public void run(int m, int n, int k,
                        float[] a, int aOff, int aRowStride, int aColStride,
                        float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc,
                        float[] bias, int biasOff, boolean accumulate, WorkerPool pool) {
            WarmedUp.ensure();
            int rowBlocks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
            boolean pays = pool != null && pool.threads() >= 2 && 2L * m * n * k >= PARALLEL_MIN_FLOPS;
            int perTask = 0; // columns per task when C has too few rows for two row blocks
            if (pays && rowBlocks < 2 && n >= 8 * L) { // two column blocks per thread, whole 4L strips each
                int strips = (n + 4 * L - 1) / (4 * L);
                int blocks = Math.min(strips, 2 * pool.threads());
                perTask = (strips + blocks - 1) / blocks * 4 * L;
            }
            int tasks = perTask > 0 ? (n + perTask - 1) / perTask : rowBlocks;
            if (!pays || tasks < 2) {
                // the same row blocks as the parallel row split, run in order (results are identical either
                // way); B's column-tail panel depends on B alone, so it is packed once for all the blocks
                float[] panel = n % L == 0 ? null
                        : tailByRowsOnly(aRowStride, m) && ROWS_PER_TASK % L == 0 ? tailScratch(k)
                        : packTail(n - n % L, n, k, b, bOff, ldb, bias, biasOff);
                for (int t = 0; t < rowBlocks; t++) {
                    int r0 = t * ROWS_PER_TASK;
                    rows(r0, Math.min(m, r0 + ROWS_PER_TASK), n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c,
                            cOff, ldc, bias, biasOff, accumulate, panel);
                }
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
            this.biasOff = biasOff;
            this.accumulate = accumulate;
            this.columnsPerTask = perTask;
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
            if (columnsPerTask > 0) { // columns [j0, j1) of every row: a narrower C at an offset
                int j0 = task * columnsPerTask;
                int j1 = Math.min(n, j0 + columnsPerTask);
                rows(0, m, j1 - j0, k, a, aOff, ars, acs, b, bOff + j0, ldb, c, cOff + j0, ldc, bias, biasOff + j0,
                        accumulate);
                return;
            }
            int r0 = task * ROWS_PER_TASK;
            int r1 = Math.min(m, r0 + ROWS_PER_TASK);
            rows(r0, r1, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
        }
    }

    /** Rows [r0, r1) of C, single-threaded. */
    static void rows(int r0, int r1, int n, int k,
                     float[] a, int aOff, int ars, int acs,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     float[] bias, int biasOff, boolean accumulate) {
        rows(r0, r1, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate, null);
    }

    /**
     * As above with B's column-tail panel already packed by {@link #packTail} (this thread's
     * scratch), or null to pack it here when n is not a multiple of the vector length.
     *
     * <p>The inner dimension is walked in blocks of {@link #K_BLOCK}: every tile of the row block
     * runs over one block of p before any tile moves to the next, so the block's rows of B (at
     * n = 128, 128 KiB) are read from cache by every tile instead of being streamed from memory
     * once per 4-row tile (at k = 20,000 a 4×2 tile's B panel is 2.5 MB). Between blocks each
     * accumulator goes to C and is read back: storing and reloading a float is exact, so every C
     * element is still the one fma chain over ascending p of {@link Gemm#scalar}.
     */
    static void rows(int r0, int r1, int n, int k,
                     float[] a, int aOff, int ars, int acs,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     float[] bias, int biasOff, boolean accumulate, float[] packed) {
        float[] panel = packed != null || n % L == 0 ? packed
                : tailByRowsOnly(ars, r1 - r0) ? tailScratch(k) : packTail(n - n % L, n, k, b, bOff, ldb, bias, biasOff);
        for (int p0 = 0; p0 < k || p0 == 0; p0 += K_BLOCK) { // k = 0 still writes the initial values
            int kb = Math.min(K_BLOCK, k - p0);
            rowsOverBlock(r0, r1, n, kb, a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb, ldb, c, cOff, ldc,
                    bias, biasOff, accumulate || p0 > 0, panel, p0 * L, k * L, (k + 1) * L);
        }
    }

    /**
     * Rows [r0, r1) of C over kb steps of p (A and B offset to the block's first p), starting from
     * C when {@code accumulate}, else from the bias or zero. The column tail reads B's rows of the
     * block from {@code panel[panelB ..]}, the padded bias from {@code panel[biasAt ..]} and keeps
     * its C tile at {@code panel[tileAt ..]}.
     */
    private static void rowsOverBlock(int r0, int r1, int n, int kb,
                                      float[] a, int aOff, int ars, int acs,
                                      float[] b, int bOff, int ldb,
                                      float[] c, int cOff, int ldc,
                                      float[] bias, int biasOff, boolean accumulate,
                                      float[] panel, int panelB, int biasAt, int tileAt) {
        int full = n - n % L; // columns covered by whole vectors
        int groups = r0 + (r1 - r0) / 4 * 4; // rows [r0, groups) in 4-row tiles, then 1–3 single rows
        // Column strips outermost: every row of the block takes its tiles of one strip of B (at most
        // kb × 4L floats, 64 KiB) before the next strip, so B is read from memory once per row block,
        // not once per 4-row tile (a 10 × 20,000 weight gradient streamed its 10 MB B four times).
        // The order of tiles does not change any C element's fma chain.
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            for (int i = r0; i < groups; i += 4) {
                tile4x2(i, j, kb, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
                tile4x2(i, j + 2 * L, kb, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
            }
            // the last 1–3 rows (weight gradients have m = a layer's input width: 10, 26, 33 …): four
            // vectors of a row at once, so that independent fma chains hide the FMA latency (one chain
            // per vector ran at an eighth of the 4×2 tile's rate)
            for (int r = groups; r < r1; r++) {
                tile1x4(r, j, kb, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
            }
        }
        if (j + 2 * L <= n) {
            for (int i = r0; i < groups; i += 4) {
                tile4x2(i, j, kb, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
            }
            for (int r = groups; r < r1; r++) {
                tile1x2(r, j, kb, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
            }
            j += 2 * L;
        }
        if (j + L <= n) {
            for (int i = r0; i < groups; i += 4) {
                tile4x1(i, j, kb, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
            }
            for (int r = groups; r < r1; r++) {
                row1(r, j, kb, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff, accumulate);
            }
        }
        if (full == n) {
            return;
        }
        // column tail (< L columns) on a zero-padded packed panel: 8 rows at a time (eight independent
        // fma chains keep both FMA pipes busy), then 4, then single rows, each one vector chain for all
        // its tail columns (a scalar chain per column cost a k-long fma latency chain each)
        int i = r0;
        if (ars == 1) {
            // A's rows lie side by side for each p (the weight-gradient form Aᵀ·B): put 16 rows on the
            // lanes instead, so a narrow tail (a layer of 2 or 20 outputs) costs its own columns, not a
            // padded vector per row
            for (; i + L <= r1; i += L) {
                for (int t = full; t < n; t += 4) {
                    tailByRows(i, t, Math.min(4, n - t), kb, a, aOff, acs, b, bOff, ldb, c, cOff, ldc, bias, biasOff,
                            accumulate, panel, tileAt);
                }
            }
        }
        for (; i + 8 <= r1; i += 8) {
            paddedTail8(i, full, n, kb, a, aOff, ars, acs, panel, panelB, biasAt, tileAt, c, cOff, ldc, accumulate);
        }
        for (; i + 4 <= r1; i += 4) {
            paddedTail4(i, full, n, kb, a, aOff, ars, acs, panel, panelB, biasAt, tileAt, c, cOff, ldc, accumulate);
        }
        for (; i < r1; i++) {
            paddedTail1(i, full, n, kb, a, aOff, ars, acs, panel, panelB, biasAt, tileAt, c, cOff, ldc, accumulate);
        }
    }

    /**
     * The initial value of an accumulator when there is neither C to accumulate nor a bias. Tiles
     * load their initial vectors straight from C, the bias or this array instead of calling a helper
     * that returns a vector: a FloatVector returned from a call that C2 did not inline (which depends
     * on compilation order) is boxed, and the step then allocates on every tile.
     */
    private static final float[] ZEROS = new float[4 * L];



    private static void tile4x2(int i, int j, int k, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                float[] bias, int biasOff, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        float[] src = accumulate ? c : bias != null ? bias : ZEROS; // the initial values, read as vectors
        int col = bias != null ? biasOff + j : 0;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector acc00 = FloatVector.fromArray(F, src, accumulate ? c0 : col);
        FloatVector acc01 = FloatVector.fromArray(F, src, accumulate ? c0 + L : col + L);
        FloatVector acc10 = FloatVector.fromArray(F, src, accumulate ? c1 : col);
        FloatVector acc11 = FloatVector.fromArray(F, src, accumulate ? c1 + L : col + L);
        FloatVector acc20 = FloatVector.fromArray(F, src, accumulate ? c2 : col);
        FloatVector acc21 = FloatVector.fromArray(F, src, accumulate ? c2 + L : col + L);
        FloatVector acc30 = FloatVector.fromArray(F, src, accumulate ? c3 : col);
        FloatVector acc31 = FloatVector.fromArray(F, src, accumulate ? c3 + L : col + L);
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
                                float[] bias, int biasOff, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        float[] src = accumulate ? c : bias != null ? bias : ZEROS; // the initial values, read as vectors
        int col = bias != null ? biasOff + j : 0;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector acc0 = FloatVector.fromArray(F, src, accumulate ? c0 : col);
        FloatVector acc1 = FloatVector.fromArray(F, src, accumulate ? c1 : col);
        FloatVector acc2 = FloatVector.fromArray(F, src, accumulate ? c2 : col);
        FloatVector acc3 = FloatVector.fromArray(F, src, accumulate ? c3 : col);
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

    private static final ThreadLocal<float[]> TAIL_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Whether {@link #tailByRows} covers every row of the column tail: A's row stride is 1 and the rows
     * come in whole vectors. Then B's tail is not packed; the panel only stages C's column slices.
     */
    private static boolean tailByRowsOnly(int ars, int rows) {
        return ars == 1 && rows % L == 0;
    }

    /** This thread's tail panel, at least (k + 1 + 8)·L floats: B's packed tail, its bias, one C tile. */
    private static float[] tailScratch(int k) {
        int need = (k + 1 + 8) * L;
        float[] s = TAIL_SCRATCH.get();
        if (s.length < need) {
            s = new float[ScratchCapacity.grown(s.length, need)];
            TAIL_SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Copies columns [j0, n) of B (fewer than L) into a k×L panel padded with zeros, followed by the
     * padded bias (or zeros) and a 4×L tile of scratch for C. JDK 17 compiles the 256- and 128-bit
     * species poorly next to 512-bit code (measured 4 GFLOP/s vs 69 on JDK 25), so column tails are
     * computed on full-width vectors instead; padding lanes are computed and discarded.
     */
    private static float[] packTail(int j0, int n, int k, float[] b, int bOff, int ldb, float[] bias, int biasOff) {
        float[] s = tailScratch(k);
        int w = n - j0;
        for (int p = 0; p < k; p++) {
            int dst = p * L;
            System.arraycopy(b, bOff + p * ldb + j0, s, dst, w);
            Arrays.fill(s, dst + w, dst + L, 0f);
        }
        int biasAt = k * L;
        if (bias != null) {
            System.arraycopy(bias, biasOff + j0, s, biasAt, w);
            Arrays.fill(s, biasAt + w, biasAt + L, 0f);
        } else {
            Arrays.fill(s, biasAt, biasAt + L, 0f);
        }
        return s;
    }

    /**
     * Rows i..i+L−1 of one to four tail columns j.. (cols of them) with the rows on the lanes, for A
     * whose row stride is 1 (A(i, p) = a[aOff + i + p·acs]): four accumulators, one per column (a
     * missing column repeats the last one's and is not stored), each one fma chain over ascending p as
     * in {@link Gemm#scalar}. C's column slices go through {@code stage[stageAt ..]} (4·L floats).
     */
    private static void tailByRows(int i, int j, int cols, int k, float[] a, int aOff, int acs,
                                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                   float[] bias, int biasOff, boolean accumulate, float[] stage, int stageAt) {
        int j1 = j + Math.min(1, cols - 1);
        int j2 = j + Math.min(2, cols - 1);
        int j3 = j + Math.min(3, cols - 1);
        int c0 = cOff + i * ldc;
        if (accumulate) {
            for (int q = 0; q < 4; q++) {
                int col = j + Math.min(q, cols - 1);
                for (int r = 0; r < L; r++) {
                    stage[stageAt + q * L + r] = c[c0 + r * ldc + col];
                }
            }
        } else {
            for (int q = 0; q < 4; q++) {
                float init = bias == null ? 0f : bias[biasOff + j + Math.min(q, cols - 1)];
                Arrays.fill(stage, stageAt + q * L, stageAt + (q + 1) * L, init);
            }
        }
        FloatVector acc0 = FloatVector.fromArray(F, stage, stageAt);
        FloatVector acc1 = FloatVector.fromArray(F, stage, stageAt + L);
        FloatVector acc2 = FloatVector.fromArray(F, stage, stageAt + 2 * L);
        FloatVector acc3 = FloatVector.fromArray(F, stage, stageAt + 3 * L);
        int aIdx = aOff + i;
        int bIdx = bOff;
        for (int p = 0; p < k; p++) {
            FloatVector av = FloatVector.fromArray(F, a, aIdx);
            acc0 = av.fma(FloatVector.broadcast(F, b[bIdx + j]), acc0);
            acc1 = av.fma(FloatVector.broadcast(F, b[bIdx + j1]), acc1);
            acc2 = av.fma(FloatVector.broadcast(F, b[bIdx + j2]), acc2);
            acc3 = av.fma(FloatVector.broadcast(F, b[bIdx + j3]), acc3);
            aIdx += acs;
            bIdx += ldb;
        }
        acc0.intoArray(stage, stageAt);
        acc1.intoArray(stage, stageAt + L);
        acc2.intoArray(stage, stageAt + 2 * L);
        acc3.intoArray(stage, stageAt + 3 * L);
        for (int q = 0; q < cols; q++) {
            for (int r = 0; r < L; r++) {
                c[c0 + r * ldc + j + q] = stage[stageAt + q * L + r];
            }
        }
    }

    /** Columns [j0, n) of rows i..i+7 on full-width vectors over the packed panel. */
    private static void paddedTail8(int i, int j0, int n, int k, float[] a, int aOff, int ars, int acs,
                                    float[] panel, int panelB, int biasAt, int tile,
                                    float[] c, int cOff, int ldc, boolean accumulate) {
        int w = n - j0;
        int c0 = cOff + i * ldc + j0;
        FloatVector acc0;
        FloatVector acc1;
        FloatVector acc2;
        FloatVector acc3;
        FloatVector acc4;
        FloatVector acc5;
        FloatVector acc6;
        FloatVector acc7;
        if (accumulate) {
            for (int r = 0; r < 8; r++) {
                for (int q = 0; q < L; q++) {
                    panel[tile + r * L + q] = q < w ? c[c0 + r * ldc + q] : 0f;
                }
            }
            acc0 = FloatVector.fromArray(F, panel, tile);
            acc1 = FloatVector.fromArray(F, panel, tile + L);
            acc2 = FloatVector.fromArray(F, panel, tile + 2 * L);
            acc3 = FloatVector.fromArray(F, panel, tile + 3 * L);
            acc4 = FloatVector.fromArray(F, panel, tile + 4 * L);
            acc5 = FloatVector.fromArray(F, panel, tile + 5 * L);
            acc6 = FloatVector.fromArray(F, panel, tile + 6 * L);
            acc7 = FloatVector.fromArray(F, panel, tile + 7 * L);
        } else {
            acc0 = FloatVector.fromArray(F, panel, biasAt);
            acc1 = acc0;
            acc2 = acc0;
            acc3 = acc0;
            acc4 = acc0;
            acc5 = acc0;
            acc6 = acc0;
            acc7 = acc0;
        }
        int a0 = aOff + i * ars;
        int bIdx = panelB;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(F, panel, bIdx);
            acc0 = FloatVector.broadcast(F, a[a0]).fma(b0, acc0);
            acc1 = FloatVector.broadcast(F, a[a0 + ars]).fma(b0, acc1);
            acc2 = FloatVector.broadcast(F, a[a0 + 2 * ars]).fma(b0, acc2);
            acc3 = FloatVector.broadcast(F, a[a0 + 3 * ars]).fma(b0, acc3);
            acc4 = FloatVector.broadcast(F, a[a0 + 4 * ars]).fma(b0, acc4);
            acc5 = FloatVector.broadcast(F, a[a0 + 5 * ars]).fma(b0, acc5);
            acc6 = FloatVector.broadcast(F, a[a0 + 6 * ars]).fma(b0, acc6);
            acc7 = FloatVector.broadcast(F, a[a0 + 7 * ars]).fma(b0, acc7);
            a0 += acs;
            bIdx += L;
        }
        acc0.intoArray(panel, tile);
        acc1.intoArray(panel, tile + L);
        acc2.intoArray(panel, tile + 2 * L);
        acc3.intoArray(panel, tile + 3 * L);
        acc4.intoArray(panel, tile + 4 * L);
        acc5.intoArray(panel, tile + 5 * L);
        acc6.intoArray(panel, tile + 6 * L);
        acc7.intoArray(panel, tile + 7 * L);
        for (int r = 0; r < 8; r++) {
            System.arraycopy(panel, tile + r * L, c, c0 + r * ldc, w);
        }
    }

    /** Columns [j0, n) of rows i..i+3 on full-width vectors over the packed panel. */
    private static void paddedTail4(int i, int j0, int n, int k, float[] a, int aOff, int ars, int acs,
                                    float[] panel, int panelB, int biasAt, int tile,
                                    float[] c, int cOff, int ldc, boolean accumulate) {
        int w = n - j0;
        int c0 = cOff + i * ldc + j0;
        FloatVector acc0;
        FloatVector acc1;
        FloatVector acc2;
        FloatVector acc3;
        if (accumulate) {
            for (int r = 0; r < 4; r++) {
                for (int q = 0; q < L; q++) {
                    panel[tile + r * L + q] = q < w ? c[c0 + r * ldc + q] : 0f;
                }
            }
            acc0 = FloatVector.fromArray(F, panel, tile);
            acc1 = FloatVector.fromArray(F, panel, tile + L);
            acc2 = FloatVector.fromArray(F, panel, tile + 2 * L);
            acc3 = FloatVector.fromArray(F, panel, tile + 3 * L);
        } else {
            acc0 = FloatVector.fromArray(F, panel, biasAt);
            acc1 = acc0;
            acc2 = acc0;
            acc3 = acc0;
        }
        int a0 = aOff + i * ars;
        int bIdx = panelB;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(F, panel, bIdx);
            acc0 = FloatVector.broadcast(F, a[a0]).fma(b0, acc0);
            acc1 = FloatVector.broadcast(F, a[a0 + ars]).fma(b0, acc1);
            acc2 = FloatVector.broadcast(F, a[a0 + 2 * ars]).fma(b0, acc2);
            acc3 = FloatVector.broadcast(F, a[a0 + 3 * ars]).fma(b0, acc3);
            a0 += acs;
            bIdx += L;
        }
        acc0.intoArray(panel, tile);
        acc1.intoArray(panel, tile + L);
        acc2.intoArray(panel, tile + 2 * L);
        acc3.intoArray(panel, tile + 3 * L);
        for (int r = 0; r < 4; r++) {
            System.arraycopy(panel, tile + r * L, c, c0 + r * ldc, w);
        }
    }

    /** One row, four vectors: four independent fma chains. */
    private static void tile1x4(int i, int j, int k, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                float[] bias, int biasOff, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        float[] src = accumulate ? c : bias != null ? bias : ZEROS; // the initial values, read as vectors
        int col = bias != null ? biasOff + j : 0;
        FloatVector acc0 = FloatVector.fromArray(F, src, accumulate ? c0 : col);
        FloatVector acc1 = FloatVector.fromArray(F, src, accumulate ? c0 + L : col + L);
        FloatVector acc2 = FloatVector.fromArray(F, src, accumulate ? c0 + 2 * L : col + 2 * L);
        FloatVector acc3 = FloatVector.fromArray(F, src, accumulate ? c0 + 3 * L : col + 3 * L);
        int a0 = aOff + i * ars;
        int bIdx = bOff + j;
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(F, a[a0]);
            acc0 = x.fma(FloatVector.fromArray(F, b, bIdx), acc0);
            acc1 = x.fma(FloatVector.fromArray(F, b, bIdx + L), acc1);
            acc2 = x.fma(FloatVector.fromArray(F, b, bIdx + 2 * L), acc2);
            acc3 = x.fma(FloatVector.fromArray(F, b, bIdx + 3 * L), acc3);
            a0 += acs;
            bIdx += ldb;
        }
        acc0.intoArray(c, c0);
        acc1.intoArray(c, c0 + L);
        acc2.intoArray(c, c0 + 2 * L);
        acc3.intoArray(c, c0 + 3 * L);
    }

    /** One row, two vectors. */
    private static void tile1x2(int i, int j, int k, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                float[] bias, int biasOff, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        float[] src = accumulate ? c : bias != null ? bias : ZEROS; // the initial values, read as vectors
        int col = bias != null ? biasOff + j : 0;
        FloatVector acc0 = FloatVector.fromArray(F, src, accumulate ? c0 : col);
        FloatVector acc1 = FloatVector.fromArray(F, src, accumulate ? c0 + L : col + L);
        int a0 = aOff + i * ars;
        int bIdx = bOff + j;
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(F, a[a0]);
            acc0 = x.fma(FloatVector.fromArray(F, b, bIdx), acc0);
            acc1 = x.fma(FloatVector.fromArray(F, b, bIdx + L), acc1);
            a0 += acs;
            bIdx += ldb;
        }
        acc0.intoArray(c, c0);
        acc1.intoArray(c, c0 + L);
    }

    /** Columns [j0, n) of row i on one full-width vector over the packed panel. */
    private static void paddedTail1(int i, int j0, int n, int k, float[] a, int aOff, int ars, int acs,
                                    float[] panel, int panelB, int biasAt, int tile,
                                    float[] c, int cOff, int ldc, boolean accumulate) {
        int w = n - j0;
        int c0 = cOff + i * ldc + j0;
        FloatVector acc;
        if (accumulate) {
            for (int q = 0; q < L; q++) {
                panel[tile + q] = q < w ? c[c0 + q] : 0f;
            }
            acc = FloatVector.fromArray(F, panel, tile);
        } else {
            acc = FloatVector.fromArray(F, panel, biasAt);
        }
        int a0 = aOff + i * ars;
        int bIdx = panelB;
        for (int p = 0; p < k; p++) {
            acc = FloatVector.broadcast(F, a[a0]).fma(FloatVector.fromArray(F, panel, bIdx), acc);
            a0 += acs;
            bIdx += L;
        }
        acc.intoArray(panel, tile);
        System.arraycopy(panel, tile, c, c0, w);
    }

    private static void row1(int i, int j, int k, float[] a, int aOff, int ars, int acs,
                             float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                             float[] bias, int biasOff, boolean accumulate) {
        int c0 = cOff + i * ldc + j;
        float[] src = accumulate ? c : bias != null ? bias : ZEROS; // the initial values, read as vectors
        int col = bias != null ? biasOff + j : 0;
        FloatVector acc = FloatVector.fromArray(F, src, accumulate ? c0 : col);
        int a0 = aOff + i * ars;
        int bIdx = bOff + j;
        for (int p = 0; p < k; p++) {
            acc = FloatVector.broadcast(F, a[a0]).fma(FloatVector.fromArray(F, b, bIdx), acc);
            a0 += acs;
            bIdx += ldb;
        }
        acc.intoArray(c, c0);
    }

}

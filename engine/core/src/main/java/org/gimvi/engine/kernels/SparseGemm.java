package org.gimvi.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * The two products of a layer whose input A is a mostly-zero minibatch given by its non-zero
 * entries ({@link NonZeroEntries}, by row and by column): the forward product C = A·B + bias and the
 * weight gradient C += Aᵀ·D. On a whole-transcriptome reference these are the largest products of a
 * training step (genes × hidden) and 70–95 % of A's entries are zero.
 *
 * <p>Definition: the dense chains of {@link Gemm#scalar} with their zero terms left out. Every C
 * element is still one fma chain over p in ascending order, now over the p where A is non-zero.
 * Because {@code fma(0, b, s) = s} for finite b unless s is −0, the result equals the dense
 * product's bit for bit whenever the weights are finite and no partial sum is exactly −0 (a chain
 * starts from a bias, a gradient or +0, so in practice never); the model can therefore choose the
 * sparse or the dense product from the minibatch's density without changing a result.
 *
 * <p>The vector kernels keep one fma chain per C element (vectors across C's columns), so they are
 * bit-identical to the scalar definitions here for any vector width and any split of the work; the
 * parallel {@link Job} cuts the forward product into blocks of 32 rows (walking A by row) and the
 * transposed one into blocks of 64 rows of C (input columns); on one thread a forward product whose
 * B is past the cache walks A by column instead. Every count is fixed by the shape.
 */
public final class SparseGemm {
    private SparseGemm() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final long PARALLEL_MIN_FLOPS = 1_000_000L;
    private static final int ROWS_PER_TASK = 32;
    private static final int INPUT_COLUMNS_PER_TASK = 64;
    private static final int OUTPUT_COLUMNS_PER_TASK = 32;
    /** B elements (A.cols × n) above which the forward product walks A by column (4 MB of floats: past L2). */
    static final long BY_COLUMN_ABOVE = 1L << 20;

    // ------------------------------------------------------------------ scalar definitions

    /**
     * Rows [r0, r1) of C (ldc = n) = A·B + bias over A's non-zero entries (by row), B at
     * {@code b[bOff ..]} row-major with n columns, bias at {@code bias[biasOff ..]} (null: zero).
     */
    public static void rowsScalar(int r0, int r1, NonZeroEntries a, float[] b, int bOff, int n, float[] c, float[] bias,
                                  int biasOff) {
        int[] start = a.rowStart();
        int[] cols = a.columns();
        float[] vals = a.values();
        for (int r = r0; r < r1; r++) {
            for (int j = 0; j < n; j++) {
                float acc = bias != null ? bias[biasOff + j] : 0f;
                for (int q = start[r]; q < start[r + 1]; q++) {
                    acc = Math.fma(vals[q], b[bOff + cols[q] * n + j], acc);
                }
                c[r * n + j] = acc;
            }
        }
    }

    /**
     * Rows [p0, p1) of C += Aᵀ·D over A's non-zero entries (by column): C at {@code c[cOff ..]}
     * row-major A.cols × n, D row-major A.rows × n. C row p is A's column p, so each of its elements
     * is one chain over the rows where that column is non-zero, ascending.
     */
    public static void transposedScalar(int p0, int p1, NonZeroEntries a, float[] d, int n, float[] c, int cOff) {
        int[] start = a.columnStart();
        int[] rowsOf = a.rowsByColumn();
        float[] vals = a.valuesByColumn();
        for (int p = p0; p < p1; p++) {
            for (int j = 0; j < n; j++) {
                int idx = cOff + p * n + j;
                float acc = c[idx];
                for (int q = start[p]; q < start[p + 1]; q++) {
                    acc = Math.fma(vals[q], d[rowsOf[q] * n + j], acc);
                }
                c[idx] = acc;
            }
        }
    }

    // ------------------------------------------------------------------ vector kernels

    /*
     * Both walks along A's lists (its rows for the forward product, its columns for the weight
     * gradient) are one kernel, accumulateLists: C row l += Σ_q vals[q]·M[index[q], ·] over list l's
     * entries in order, C row held in registers. The forward product first writes the bias into C,
     * so every C element's chain starts where the scalar definition's does.
     */

    /** As {@link #rowsScalar}, vectors across C's columns. */
    public static void rowsSimd(int r0, int r1, NonZeroEntries a, float[] b, int bOff, int n, float[] c, float[] bias,
                                int biasOff) {
        WarmedUp.ensure();
        initialise(r0, r1, 0, n, n, c, bias, biasOff);
        accumulateLists(r0, r1, a.rowStart(), a.columns(), a.values(), b, bOff, n, c, 0);
    }

    /**
     * Rows [p0, p1) of C += Aᵀ·D (as {@link #transposedScalar}): C row p is A's column p, so its
     * chains run over the minibatch rows where that column is non-zero (the by-column lists).
     */
    public static void transposedSimd(int p0, int p1, NonZeroEntries a, float[] d, int n, float[] c, int cOff) {
        WarmedUp.ensure();
        accumulateLists(p0, p1, a.columnStart(), a.rowsByColumn(), a.valuesByColumn(), d, 0, n, c, cOff);
    }

    /** C rows [r0, r1), columns [j0, j1) (row length n) = the bias, or +0 without one. */
    private static void initialise(int r0, int r1, int j0, int j1, int n, float[] c, float[] bias, int biasOff) {
        for (int r = r0; r < r1; r++) {
            if (bias != null) {
                System.arraycopy(bias, biasOff + j0, c, r * n + j0, j1 - j0);
            } else {
                Arrays.fill(c, r * n + j0, r * n + j1, 0f);
            }
        }
    }

    /**
     * For lists l in [l0, l1): C row l (at {@code c[cOff + l·n ..]}) += Σ vals[q]·M row index[q] (at
     * {@code m[mOff + index[q]·n ..]}), q over [start[l], start[l + 1]) in order. Two lists at a time
     * in blocks of 4 vectors (8 independent fma chains, enough to cover the FMA latency), then single
     * vectors, then scalar columns.
     */
    private static void accumulateLists(int l0, int l1, int[] start, int[] index, float[] vals, float[] m, int mOff,
                                        int n, float[] c, int cOff) {
        int l = l0;
        for (; l + 2 <= l1; l += 2) {
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                pair4(l, j, start, index, vals, m, mOff, n, c, cOff);
            }
            for (; j + L <= n; j += L) {
                single1(l, j, start, index, vals, m, mOff, n, c, cOff);
                single1(l + 1, j, start, index, vals, m, mOff, n, c, cOff);
            }
            for (; j < n; j++) {
                chain(l, j, start, index, vals, m, mOff, n, c, cOff);
                chain(l + 1, j, start, index, vals, m, mOff, n, c, cOff);
            }
        }
        for (; l < l1; l++) {
            int j = 0;
            for (; j + L <= n; j += L) {
                single1(l, j, start, index, vals, m, mOff, n, c, cOff);
            }
            for (; j < n; j++) {
                chain(l, j, start, index, vals, m, mOff, n, c, cOff);
            }
        }
    }

    /** One C element: the scalar definitions' chain. */
    private static void chain(int l, int j, int[] start, int[] index, float[] vals, float[] m, int mOff, int n,
                              float[] c, int cOff) {
        int idx = cOff + l * n + j;
        float acc = c[idx];
        for (int q = start[l]; q < start[l + 1]; q++) {
            acc = Math.fma(vals[q], m[mOff + index[q] * n + j], acc);
        }
        c[idx] = acc;
    }

    /** Lists l and l+1, columns [j, j + 4L): each list's chains over its own entries, interleaved. */
    private static void pair4(int l, int j, int[] start, int[] index, float[] vals, float[] m, int mOff, int n,
                              float[] c, int cOff) {
        int cu = cOff + l * n + j;
        int cv = cu + n;
        FloatVector u0 = FloatVector.fromArray(F, c, cu);
        FloatVector u1 = FloatVector.fromArray(F, c, cu + L);
        FloatVector u2 = FloatVector.fromArray(F, c, cu + 2 * L);
        FloatVector u3 = FloatVector.fromArray(F, c, cu + 3 * L);
        FloatVector v0 = FloatVector.fromArray(F, c, cv);
        FloatVector v1 = FloatVector.fromArray(F, c, cv + L);
        FloatVector v2 = FloatVector.fromArray(F, c, cv + 2 * L);
        FloatVector v3 = FloatVector.fromArray(F, c, cv + 3 * L);
        int qu = start[l];
        int quEnd = start[l + 1];
        int qv = quEnd;
        int qvEnd = start[l + 2];
        int mCol = mOff + j;
        int both = Math.min(quEnd - qu, qvEnd - qv);
        for (int t = 0; t < both; t++) {
            FloatVector x = FloatVector.broadcast(F, vals[qu + t]);
            FloatVector y = FloatVector.broadcast(F, vals[qv + t]);
            int mu = mCol + index[qu + t] * n;
            int mv = mCol + index[qv + t] * n;
            u0 = x.fma(FloatVector.fromArray(F, m, mu), u0);
            v0 = y.fma(FloatVector.fromArray(F, m, mv), v0);
            u1 = x.fma(FloatVector.fromArray(F, m, mu + L), u1);
            v1 = y.fma(FloatVector.fromArray(F, m, mv + L), v1);
            u2 = x.fma(FloatVector.fromArray(F, m, mu + 2 * L), u2);
            v2 = y.fma(FloatVector.fromArray(F, m, mv + 2 * L), v2);
            u3 = x.fma(FloatVector.fromArray(F, m, mu + 3 * L), u3);
            v3 = y.fma(FloatVector.fromArray(F, m, mv + 3 * L), v3);
        }
        for (int q = qu + both; q < quEnd; q++) {
            FloatVector x = FloatVector.broadcast(F, vals[q]);
            int mu = mCol + index[q] * n;
            u0 = x.fma(FloatVector.fromArray(F, m, mu), u0);
            u1 = x.fma(FloatVector.fromArray(F, m, mu + L), u1);
            u2 = x.fma(FloatVector.fromArray(F, m, mu + 2 * L), u2);
            u3 = x.fma(FloatVector.fromArray(F, m, mu + 3 * L), u3);
        }
        for (int q = qv + both; q < qvEnd; q++) {
            FloatVector y = FloatVector.broadcast(F, vals[q]);
            int mv = mCol + index[q] * n;
            v0 = y.fma(FloatVector.fromArray(F, m, mv), v0);
            v1 = y.fma(FloatVector.fromArray(F, m, mv + L), v1);
            v2 = y.fma(FloatVector.fromArray(F, m, mv + 2 * L), v2);
            v3 = y.fma(FloatVector.fromArray(F, m, mv + 3 * L), v3);
        }
        u0.intoArray(c, cu);
        u1.intoArray(c, cu + L);
        u2.intoArray(c, cu + 2 * L);
        u3.intoArray(c, cu + 3 * L);
        v0.intoArray(c, cv);
        v1.intoArray(c, cv + L);
        v2.intoArray(c, cv + 2 * L);
        v3.intoArray(c, cv + 3 * L);
    }

    /** List l, columns [j, j + L). */
    private static void single1(int l, int j, int[] start, int[] index, float[] vals, float[] m, int mOff, int n,
                                float[] c, int cOff) {
        int idx = cOff + l * n + j;
        FloatVector acc = FloatVector.fromArray(F, c, idx);
        for (int q = start[l]; q < start[l + 1]; q++) {
            acc = FloatVector.broadcast(F, vals[q]).fma(FloatVector.fromArray(F, m, mOff + index[q] * n + j), acc);
        }
        acc.intoArray(c, idx);
    }

    /**
     * As {@link #rowsScalar} for all rows, columns [j0, j1) of C, walking A by column: C's rows start
     * from the bias, then for each input column p in ascending order (B's row p loaded once, as
     * vectors) every row r non-zero there gets C[r, ·] += a·B[p, ·]. Each C element still sees its
     * terms in ascending p, so the chain, and the result, is the row walk's. For a B larger than the
     * core's cache (thousands of genes × 64 or 128) this streams B once instead of once per row.
     */
    public static void columnsSimd(int j0, int j1, NonZeroEntries a, float[] b, int bOff, int n, float[] c,
                                   float[] bias, int biasOff) {
        WarmedUp.ensure();
        initialise(0, a.rows(), j0, j1, n, c, bias, biasOff);
        scatterColumns(j0, j1, a, b, bOff, n, c);
    }

    private static void scatterColumns(int j0, int j1, NonZeroEntries a, float[] b, int bOff, int n, float[] c) {
        int[] start = a.columnStart();
        int[] rowsOf = a.rowsByColumn();
        float[] vals = a.valuesByColumn();
        int vectorEnd = j0 + (j1 - j0) / L * L;
        for (int p = 0; p < a.cols(); p++) {
            int q0 = start[p];
            int q1 = start[p + 1];
            if (q0 == q1) {
                continue;
            }
            int bRow = bOff + p * n;
            int j = j0;
            for (; j + 2 * L <= vectorEnd; j += 2 * L) {
                FloatVector w0 = FloatVector.fromArray(F, b, bRow + j);
                FloatVector w1 = FloatVector.fromArray(F, b, bRow + j + L);
                for (int q = q0; q < q1; q++) {
                    FloatVector x = FloatVector.broadcast(F, vals[q]);
                    int cIdx = rowsOf[q] * n + j;
                    x.fma(w0, FloatVector.fromArray(F, c, cIdx)).intoArray(c, cIdx);
                    x.fma(w1, FloatVector.fromArray(F, c, cIdx + L)).intoArray(c, cIdx + L);
                }
            }
            for (; j < vectorEnd; j += L) {
                FloatVector w0 = FloatVector.fromArray(F, b, bRow + j);
                for (int q = q0; q < q1; q++) {
                    int cIdx = rowsOf[q] * n + j;
                    FloatVector.broadcast(F, vals[q]).fma(w0, FloatVector.fromArray(F, c, cIdx)).intoArray(c, cIdx);
                }
            }
            for (; j < j1; j++) {
                float w = b[bRow + j];
                for (int q = q0; q < q1; q++) {
                    int cIdx = rowsOf[q] * n + j;
                    c[cIdx] = Math.fma(vals[q], w, c[cIdx]);
                }
            }
        }
    }

    /**
     * Compiles the vector blocks the normal way before real work (see {@code SimdGemm}'s warm-up: a
     * long first call would have C2 compile the accumulator loop by on-stack replacement, which on
     * JDK 17 can box the vector accumulators for good). Short calls, a few milliseconds once.
     */
    private static final class WarmedUp {
        private static final boolean DONE = warmUp();

        private WarmedUp() {
        }

        static void ensure() {
        }

        private static boolean warmUp() {
            int cols = 3;
            int n = 4 * L + L + 1;
            org.ejml.data.FMatrixRMaj x = new org.ejml.data.FMatrixRMaj(2, cols);
            x.data[0] = 1f;
            x.data[2] = 1f;
            x.data[4] = 1f;
            NonZeroEntries a = new NonZeroEntries(2, cols);
            a.index(x);
            a.indexColumns();
            float[] b = new float[cols * n];
            float[] c = new float[2 * n];
            float[] g = new float[cols * n];
            for (int rep = 0; rep < 12_000; rep++) {
                accumulateLists(0, 2, a.rowStart(), a.columns(), a.values(), b, 0, n, c, 0);
                scatterColumns(0, n, a, b, 0, n, c);
                accumulateLists(0, cols, a.columnStart(), a.rowsByColumn(), a.valuesByColumn(), c, 0, n, g, 0);
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ parallel driver

    /**
     * Runs either product over a {@link WorkerPool} without allocating (operands as fields, one Job
     * per thread). Small products, or no pool, run in the caller in the same blocks.
     */
    public static final class Job implements WorkerPool.Task {
        private boolean transposed;
        private boolean byColumn;
        private NonZeroEntries a;
        private float[] b;
        private int bOff;
        private int n;
        private float[] c;
        private int cOff;
        private float[] bias;
        private int biasOff;

        /** C (A.rows × n) = A·B + bias over A's non-zeros, B at {@code b[bOff ..]} (A.cols × n). */
        public void rows(NonZeroEntries a, float[] b, int bOff, int n, float[] c, float[] bias, int biasOff,
                         WorkerPool pool) {
            if (!pays(pool, a, n) && (long) a.cols() * n > BY_COLUMN_ABOVE) {
                // one thread, B beyond the core's cache: walk A by column, streaming B once
                // (SparseInputTimes 20000, one thread: ·64 at 20 % 7.4 → 2.9 ms). Not split over a pool:
                // there each block of C's columns re-walks all of A's entries and neighbouring blocks
                // write the same cache lines; in the 20,000-gene step on two threads the row walk won
                // all four alternated runs (StepTimes 20000 20 40 median 92–114 against 122–149 ms).
                byColumn = true;
                int tasks = (n + OUTPUT_COLUMNS_PER_TASK - 1) / OUTPUT_COLUMNS_PER_TASK;
                run(false, a, b, bOff, n, c, 0, bias, biasOff, tasks, null);
                return;
            }
            byColumn = false;
            int tasks = (a.rows() + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
            run(false, a, b, bOff, n, c, 0, bias, biasOff, tasks, pool);
        }

        /** C (A.cols × n, at {@code c[cOff ..]}) += Aᵀ·D over A's non-zeros, D A.rows × n. */
        public void transposed(NonZeroEntries a, float[] d, int n, float[] c, int cOff, WorkerPool pool) {
            int tasks = (a.cols() + INPUT_COLUMNS_PER_TASK - 1) / INPUT_COLUMNS_PER_TASK;
            run(true, a, d, 0, n, c, cOff, null, 0, tasks, pool);
        }

        private void run(boolean transposed, NonZeroEntries a, float[] b, int bOff, int n, float[] c, int cOff,
                         float[] bias, int biasOff, int tasks, WorkerPool pool) {
            this.transposed = transposed;
            this.a = a;
            this.b = b;
            this.bOff = bOff;
            this.n = n;
            this.c = c;
            this.cOff = cOff;
            this.bias = bias;
            this.biasOff = biasOff;
            try {
                if (tasks < 2 || !pays(pool, a, n)) {
                    for (int t = 0; t < tasks; t++) {
                        run(t);
                    }
                } else {
                    pool.forEach(tasks, this);
                }
            } finally {
                this.a = null;
                this.b = null;
                this.c = null;
                this.bias = null;
            }
        }

        /** Whether a product over A's entries into n columns is worth splitting over {@code pool}. */
        private static boolean pays(WorkerPool pool, NonZeroEntries a, int n) {
            return pool != null && pool.threads() >= 2 && 2L * a.count() * n >= PARALLEL_MIN_FLOPS;
        }

        @Override
        public void run(int task) {
            if (transposed) {
                int p0 = task * INPUT_COLUMNS_PER_TASK;
                transposedSimd(p0, Math.min(a.cols(), p0 + INPUT_COLUMNS_PER_TASK), a, b, n, c, cOff);
            } else if (byColumn) {
                int j0 = task * OUTPUT_COLUMNS_PER_TASK;
                columnsSimd(j0, Math.min(n, j0 + OUTPUT_COLUMNS_PER_TASK), a, b, bOff, n, c, bias, biasOff);
            } else {
                int r0 = task * ROWS_PER_TASK;
                rowsSimd(r0, Math.min(a.rows(), r0 + ROWS_PER_TASK), a, b, bOff, n, c, bias, biasOff);
            }
        }
    }
}

package org.gimvi.model.baselines.tangram;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * The two products of a Tangram epoch, written for its shapes: a tall, thin and mostly zero source
 * matrix S (cells × a few dozen genes; log-normalised scRNA-seq is about three quarters zeros) against
 * the wide dense mapping P (cells × spots). A general GEMM streams P once per block of output rows and
 * multiplies the zeros; these kernels stream P once, skip the zeros of S, and fuse the backward
 * product with the softmax backward so that ∂loss/∂M is written in a single pass.
 *
 * <p>Both are deterministic for any thread count: every output element is summed in a fixed order
 * (ascending cells, ascending genes) by exactly one task.
 */
final class TangramKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Spots per task of the forward product: four vectors, whose accumulators stay in registers. */
    private static final int CHUNK = 4 * L;
    /** Cells per task of the backward product. */
    private static final int ROWS_PER_TASK = 16;

    private TangramKernels() {
    }

    /**
     * The non-zero entries of a constant row-major matrix, row by row (compressed sparse rows), built
     * once so that the epoch loop neither scans nor branches on zeros.
     */
    static final class SparseRows {
        final int rows;
        final int cols;
        final int[] start;
        final int[] column;
        final float[] value;

        SparseRows(float[] dense, int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            start = new int[rows + 1];
            int nz = 0;
            for (int i = 0; i < rows * cols; i++) {
                if (dense[i] != 0f) {
                    nz++;
                }
            }
            column = new int[nz];
            value = new float[nz];
            int q = 0;
            for (int i = 0; i < rows; i++) {
                start[i] = q;
                for (int c = 0; c < cols; c++) {
                    float v = dense[i * cols + c];
                    if (v != 0f) {
                        column[q] = c;
                        value[q++] = v;
                    }
                }
            }
            start[rows] = q;
        }
    }

    /**
     * out (w × spots) = sᵀ · p, with s n × w and p n × spots, row-major. Tasks own disjoint chunks of
     * spots; within a chunk the sum runs over cells in ascending order.
     */
    static void sourceTransposedTimesMapping(SparseRows s, float[] p, int spots, float[] out, WorkerPool pool) {
        int n = s.rows;
        int w = s.cols;
        int chunks = (spots + CHUNK - 1) / CHUNK;
        pool.forEach(chunks, t -> {
            int j0 = t * CHUNK;
            int width = Math.min(CHUNK, spots - j0);
            for (int c = 0; c < w; c++) {
                java.util.Arrays.fill(out, c * spots + j0, c * spots + j0 + width, 0f);
            }
            if (width == CHUNK) {
                for (int i = 0; i < n; i++) {
                    int pOff = i * spots + j0;
                    FloatVector p0 = FloatVector.fromArray(F, p, pOff);
                    FloatVector p1 = FloatVector.fromArray(F, p, pOff + L);
                    FloatVector p2 = FloatVector.fromArray(F, p, pOff + 2 * L);
                    FloatVector p3 = FloatVector.fromArray(F, p, pOff + 3 * L);
                    for (int q = s.start[i]; q < s.start[i + 1]; q++) {
                        int o = s.column[q] * spots + j0;
                        FloatVector bv = FloatVector.broadcast(F, s.value[q]);
                        p0.fma(bv, FloatVector.fromArray(F, out, o)).intoArray(out, o);
                        p1.fma(bv, FloatVector.fromArray(F, out, o + L)).intoArray(out, o + L);
                        p2.fma(bv, FloatVector.fromArray(F, out, o + 2 * L)).intoArray(out, o + 2 * L);
                        p3.fma(bv, FloatVector.fromArray(F, out, o + 3 * L)).intoArray(out, o + 3 * L);
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int pOff = i * spots + j0;
                    for (int q = s.start[i]; q < s.start[i + 1]; q++) {
                        float b = s.value[q];
                        int o = s.column[q] * spots + j0;
                        for (int j = 0; j < width; j++) {
                            out[o + j] = Math.fma(p[pOff + j], b, out[o + j]);
                        }
                    }
                }
            }
        });
    }

    /**
     * The backward product and the softmax backward in one pass:
     * dP[i, :] = Σ_c s[i, c] · g[c, :] (s n × w, g w × spots), then
     * dM[i, j] = P[i, j] (dP[i, j] − Σ_k P[i, k] dP[i, k]), written into {@code dm} (n × spots). Tasks own
     * disjoint blocks of cells; a row is finished while it is still in cache.
     */
    static void softmaxBackwardOfSourceProduct(SparseRows s, float[] g, int spots, float[] p, float[] dm,
                                               WorkerPool pool) {
        int n = s.rows;
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        int bound = F.loopBound(spots);
        pool.forEach(tasks, t -> {
            int r1 = Math.min(n, (t + 1) * ROWS_PER_TASK);
            for (int i = t * ROWS_PER_TASK; i < r1; i++) {
                int q0 = s.start[i];
                int q1 = s.start[i + 1];
                int off = i * spots;
                FloatVector dotV = FloatVector.zero(F);
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector acc = FloatVector.zero(F);
                    for (int q = q0; q < q1; q++) {
                        acc = FloatVector.fromArray(F, g, s.column[q] * spots + j).fma(FloatVector.broadcast(F, s.value[q]), acc);
                    }
                    acc.intoArray(dm, off + j);
                    dotV = FloatVector.fromArray(F, p, off + j).fma(acc, dotV);
                }
                float dot = dotV.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                for (; j < spots; j++) {
                    float acc = 0f;
                    for (int q = q0; q < q1; q++) {
                        acc = Math.fma(g[s.column[q] * spots + j], s.value[q], acc);
                    }
                    dm[off + j] = acc;
                    dot = Math.fma(p[off + j], acc, dot);
                }
                j = 0;
                FloatVector dotB = FloatVector.broadcast(F, dot);
                for (; j < bound; j += L) {
                    FloatVector pv = FloatVector.fromArray(F, p, off + j);
                    pv.mul(FloatVector.fromArray(F, dm, off + j).sub(dotB)).intoArray(dm, off + j);
                }
                for (; j < spots; j++) {
                    dm[off + j] = p[off + j] * (dm[off + j] - dot);
                }
            }
        });
    }
}

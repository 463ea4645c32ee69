package org.gimvi.model.baselines.tangram;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.kernels.VectorMath;
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

    /**
     * Per worker thread: a task's rows of ∂loss/∂M, one row of shifted logits (grown once, never per
     * epoch), the lanes of a vector sum and each row's dot-product lanes. Lane sums are stored and added in lane order, never {@code reduceLanes}:
     * its order differs between interpreted and compiled code (seen on JDK 25), so tasks at different
     * compilation states — hence different thread counts — gave different bits.
     */
    private static final ThreadLocal<float[][]> ROW_SCRATCH = ThreadLocal.withInitial(() -> new float[][] {
        new float[0], new float[0], new float[L], new float[ROWS_PER_TASK * L]});
    /** Spots per block of the fused step: 512 floats of each of up to a few hundred gene rows fit in L2. */
    static final int SPOT_BLOCK = 512;

    private TangramKernels() {
    }

    /** Floats per vector: the smallest spot block {@link #backwardAdamSoftmax} takes. */
    static int vectorLength() {
        return L;
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
            float[] lanes = ROW_SCRATCH.get()[2];
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
                dotV.intoArray(lanes, 0); // lanes added in lane order: see ROW_SCRATCH
                float dot = 0f;
                for (int l = 0; l < L; l++) {
                    dot += lanes[l];
                }
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

    /**
     * One whole optimisation step after the forward pass, row by row, with every row finished while it
     * is in cache: for each source i,
     * <ol>
     *   <li>∂loss/∂M[i, :] as {@link #softmaxBackwardOfSourceProduct} computes it (into a per-thread row);</li>
     *   <li>Adam on M[i, :] and its moments m, v (the float operations of {@code AdamUpdate}, element by
     *       element, so the result equals the engine's Adam on the whole matrix bit for bit);</li>
     *   <li>P[i, :] = softmax(M[i, :]) of the updated logits, as {@code SimdBackend.rowSoftmax} computes
     *       it (row max, shift, the engine's exp, lane-partial sum added in lane order, division).</li>
     * </ol>
     * The gradient matrix and the separate softmax and Adam passes (the last two single-threaded) are
     * gone: per epoch the cells × spots matrices are streamed twice instead of seven times, and one dense
     * matrix less is held. Rows are independent, so any thread count gives the same bits.
     */
    static void backwardAdamSoftmax(SparseRows s, float[] g, int spots, float[] p, float[] logits, float[] m, float[] v,
                                    AdamUpdate.Coefficients c, WorkerPool pool) {
        backwardAdamSoftmax(s, g, spots, p, logits, m, v, c, pool, SPOT_BLOCK);
    }

    /**
     * As above, the gradient products cut into blocks of {@code spotBlock} spots (a multiple of the
     * vector length): a task computes one block for all its rows before the next, so the block of
     * ∂loss/∂[Ĝᵀ; q] it reads (genes × block) stays in cache for all of them instead of being streamed
     * from memory once per row — with many genes and spots (clusters mode at 20,000 spots: 13 MB) the
     * unblocked pass was memory-bound. Each row's sums still run over ascending spots, so the bits do not
     * depend on the block size (tested).
     */
    static void backwardAdamSoftmax(SparseRows s, float[] g, int spots, float[] p, float[] logits, float[] m, float[] v,
                                    AdamUpdate.Coefficients c, WorkerPool pool, int spotBlock) {
        if (spotBlock < L || spotBlock % L != 0) {
            throw new IllegalArgumentException("spot block " + spotBlock + " is not a multiple of the vector length " + L);
        }
        int n = s.rows;
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        int bound = F.loopBound(spots);
        pool.forEach(tasks, t -> {
            float[][] scratch = ROW_SCRATCH.get();
            if (scratch[0].length < ROWS_PER_TASK * spots) {
                scratch[0] = new float[ROWS_PER_TASK * spots];
                scratch[1] = new float[spots];
            }
            float[] grads = scratch[0];  // the task's rows of ∂loss/∂M, one after another
            float[] shifted = scratch[1];
            float[] lanes = scratch[2];
            float[] dotLanes = scratch[3]; // per row, the vector partial sums of Σ_j P[i, j]·∂P[i, j]
            int r0 = t * ROWS_PER_TASK;
            int r1 = Math.min(n, r0 + ROWS_PER_TASK);
            java.util.Arrays.fill(dotLanes, 0f);
            for (int jb = 0; jb < bound; jb += spotBlock) {
                int je = Math.min(bound, jb + spotBlock);
                for (int i = r0; i < r1; i++) {
                    int r = i - r0;
                    int q0 = s.start[i];
                    int q1 = s.start[i + 1];
                    int off = i * spots;
                    FloatVector dotV = FloatVector.fromArray(F, dotLanes, r * L);
                    for (int j = jb; j < je; j += L) {
                        FloatVector acc = FloatVector.zero(F);
                        for (int q = q0; q < q1; q++) {
                            acc = FloatVector.fromArray(F, g, s.column[q] * spots + j)
                                    .fma(FloatVector.broadcast(F, s.value[q]), acc);
                        }
                        acc.intoArray(grads, r * spots + j);
                        dotV = FloatVector.fromArray(F, p, off + j).fma(acc, dotV);
                    }
                    dotV.intoArray(dotLanes, r * L);
                }
            }
            for (int i = r0; i < r1; i++) {
                int r = i - r0;
                int off = i * spots;
                finishRowGradient(s, g, spots, p, i, grads, r * spots, dotLanes, r * L, bound);
                adamRow(logits, grads, r * spots, m, v, off, spots, c);
                softmaxRow(logits, off, spots, shifted, lanes, p);
            }
        });
    }

    /**
     * The rest of one row's ∂loss/∂M once its vector part is in {@code grad}[gOff, gOff + bound) and
     * its dot partials in {@code dotLanes}: the lanes added in lane order, the scalar tail, then
     * P ∘ (∂P − dot) — the arithmetic of softmaxBackwardOfSourceProduct.
     */
    private static void finishRowGradient(SparseRows s, float[] g, int spots, float[] p, int i, float[] grad, int gOff,
                                          float[] dotLanes, int lOff, int bound) {
        int q0 = s.start[i];
        int q1 = s.start[i + 1];
        int off = i * spots;
        float dot = 0f;
        for (int l = 0; l < L; l++) {
            dot += dotLanes[lOff + l];
        }
        for (int j = bound; j < spots; j++) {
            float acc = 0f;
            for (int q = q0; q < q1; q++) {
                acc = Math.fma(g[s.column[q] * spots + j], s.value[q], acc);
            }
            grad[gOff + j] = acc;
            dot = Math.fma(p[off + j], acc, dot);
        }
        FloatVector dotB = FloatVector.broadcast(F, dot);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector pv = FloatVector.fromArray(F, p, off + j);
            pv.mul(FloatVector.fromArray(F, grad, gOff + j).sub(dotB)).intoArray(grad, gOff + j);
        }
        for (; j < spots; j++) {
            grad[gOff + j] = p[off + j] * (grad[gOff + j] - dot);
        }
    }

    /** Adam on w[off, off + n) with the gradient in grad[gOff, gOff + n): AdamUpdate's operations, weight decay 0. */
    private static void adamRow(float[] w, float[] grad, int gOff, float[] m, float[] v, int off, int n, AdamUpdate.Coefficients c) {
        float b1 = c.beta1();
        float b2 = c.beta2();
        float ob1 = c.oneMinusBeta1();
        float ob2 = c.oneMinusBeta2();
        float step = c.stepSize();
        float bc2 = c.bc2Sqrt();
        float eps = c.eps();
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            FloatVector gv = FloatVector.fromArray(F, grad, gOff + j);
            FloatVector mi = FloatVector.fromArray(F, m, off + j).mul(b1).add(gv.mul(ob1));
            FloatVector vi = FloatVector.fromArray(F, v, off + j).mul(b2).add(gv.mul(ob2).mul(gv));
            mi.intoArray(m, off + j);
            vi.intoArray(v, off + j);
            FloatVector denom = vi.sqrt().div(bc2).add(eps);
            FloatVector.fromArray(F, w, off + j).sub(mi.mul(step).div(denom)).intoArray(w, off + j);
        }
        for (; j < n; j++) {
            float gj = grad[gOff + j];
            float mi = b1 * m[off + j] + ob1 * gj;
            float vi = b2 * v[off + j] + ob2 * gj * gj;
            m[off + j] = mi;
            v[off + j] = vi;
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            w[off + j] -= step * mi / denom;
        }
    }

    /** p[off, off + n) = softmax(x[off, off + n)), with SimdBackend.rowSoftmax's operations and order. */
    static void softmaxRow(float[] x, int off, int n, float[] shifted, float[] lanes, float[] p) {
        int bound = F.loopBound(n);
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < bound; j += L) {
            maxV = maxV.lanewise(jdk.incubator.vector.VectorOperators.MAX, FloatVector.fromArray(F, x, off + j));
        }
        maxV.intoArray(lanes, 0);
        float max = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < L; l++) {
            max = Math.max(max, lanes[l]);
        }
        for (; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(F, x, off + j).sub(max).intoArray(shifted, j);
        }
        for (; j < n; j++) {
            shifted[j] = x[off + j] - max;
        }
        VectorMath.exp(shifted, shifted, n);
        FloatVector acc = FloatVector.zero(F);
        j = 0;
        for (; j < bound; j += L) {
            acc = acc.add(FloatVector.fromArray(F, shifted, j));
        }
        acc.intoArray(lanes, 0);
        float sum = 0f;
        for (int l = 0; l < L; l++) {
            sum += lanes[l];
        }
        for (; j < n; j++) {
            sum += shifted[j];
        }
        j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(F, shifted, j).div(sum).intoArray(p, off + j);
        }
        for (; j < n; j++) {
            p[off + j] = shifted[j] / sum;
        }
    }
}

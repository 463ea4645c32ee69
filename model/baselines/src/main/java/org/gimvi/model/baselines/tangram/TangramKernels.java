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
     * out (w × spots) = sᵀ · p, with s n × w and p n × spots, row-major. Tasks own disjoint chunks of
     * spots; within a chunk the sum runs over cells in ascending order.
     */
    static void sourceTransposedTimesMapping(float[] s, int n, int w, float[] p, int spots, float[] out,
                                             WorkerPool pool) {
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
                    int sOff = i * w;
                    for (int c = 0; c < w; c++) {
                        float b = s[sOff + c];
                        if (b == 0f) {
                            continue;
                        }
                        int o = c * spots + j0;
                        FloatVector bv = FloatVector.broadcast(F, b);
                        p0.fma(bv, FloatVector.fromArray(F, out, o)).intoArray(out, o);
                        p1.fma(bv, FloatVector.fromArray(F, out, o + L)).intoArray(out, o + L);
                        p2.fma(bv, FloatVector.fromArray(F, out, o + 2 * L)).intoArray(out, o + 2 * L);
                        p3.fma(bv, FloatVector.fromArray(F, out, o + 3 * L)).intoArray(out, o + 3 * L);
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int pOff = i * spots + j0;
                    for (int c = 0; c < w; c++) {
                        float b = s[i * w + c];
                        if (b == 0f) {
                            continue;
                        }
                        int o = c * spots + j0;
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
    static void softmaxBackwardOfSourceProduct(float[] s, int n, int w, float[] g, int spots, float[] p,
                                               float[] dm, WorkerPool pool) {
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        int bound = F.loopBound(spots);
        pool.forEach(tasks, t -> {
            int[] nonZero = new int[w];
            int r1 = Math.min(n, (t + 1) * ROWS_PER_TASK);
            for (int i = t * ROWS_PER_TASK; i < r1; i++) {
                int nz = 0;
                for (int c = 0; c < w; c++) {
                    if (s[i * w + c] != 0f) {
                        nonZero[nz++] = c;
                    }
                }
                int off = i * spots;
                FloatVector dotV = FloatVector.zero(F);
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector acc = FloatVector.zero(F);
                    for (int q = 0; q < nz; q++) {
                        int c = nonZero[q];
                        acc = FloatVector.fromArray(F, g, c * spots + j).fma(FloatVector.broadcast(F, s[i * w + c]), acc);
                    }
                    acc.intoArray(dm, off + j);
                    dotV = FloatVector.fromArray(F, p, off + j).fma(acc, dotV);
                }
                float dot = dotV.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                for (; j < spots; j++) {
                    float acc = 0f;
                    for (int q = 0; q < nz; q++) {
                        int c = nonZero[q];
                        acc = Math.fma(g[c * spots + j], s[i * w + c], acc);
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

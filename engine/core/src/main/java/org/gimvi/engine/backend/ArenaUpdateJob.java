package org.gimvi.engine.backend;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * The two whole-arena passes of a training step, Adam's update and the gradient-lane fold, split
 * into fixed blocks over the worker pool once an arena is large (a 2,000-gene model has ~430,000
 * parameters; a 33-gene one 15,000, which stays on the caller). Both are elementwise, and the vector
 * kernels equal their scalar tails, so any split gives the same bits; the block count depends on the
 * arena's size alone. One per thread (operands as fields: no allocation per step).
 */
final class ArenaUpdateJob implements WorkerPool.Task {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = 16_384; // a multiple of every vector length
    private static final int PARALLEL_MIN = 4 * BLOCK;

    private boolean adam;
    private float[] w;
    private float[] g;
    private float[] m;
    private float[] v;
    private int off;
    private int n;
    private AdamUpdate.Coefficients c;

    void adam(float[] w, float[] g, float[] m, float[] v, int off, int n, AdamUpdate.Coefficients c, WorkerPool pool) {
        this.adam = true;
        this.w = w;
        this.g = g;
        this.m = m;
        this.v = v;
        this.off = off;
        this.n = n;
        this.c = c;
        run(pool);
    }

    /** sum[0, n) += lane[0, n), then lane zeroed. */
    void addAndZero(float[] lane, float[] sum, int n, WorkerPool pool) {
        this.adam = false;
        this.g = lane;
        this.w = sum;
        this.off = 0;
        this.n = n;
        run(pool);
    }

    private void run(WorkerPool pool) {
        int tasks = (n + BLOCK - 1) / BLOCK;
        try {
            if (pool == null || pool.threads() < 2 || n < PARALLEL_MIN) {
                for (int t = 0; t < tasks; t++) {
                    run(t);
                }
            } else {
                pool.forEach(tasks, this);
            }
        } finally {
            w = null;
            g = null;
            m = null;
            v = null;
            c = null;
        }
    }

    @Override
    public void run(int task) {
        int start = task * BLOCK;
        int len = Math.min(BLOCK, n - start);
        if (adam) {
            AdamUpdate.simd(w, g, m, v, off + start, len, c);
        } else {
            addAndZero(g, w, start, len);
        }
    }

    private static void addAndZero(float[] lane, float[] sum, int from, int len) {
        int i = from;
        int end = from + len;
        for (int bound = from + F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, sum, i).add(FloatVector.fromArray(F, lane, i)).intoArray(sum, i);
        }
        for (; i < end; i++) {
            sum[i] = sum[i] + lane[i];
        }
        Arrays.fill(lane, from, end, 0f);
    }
}

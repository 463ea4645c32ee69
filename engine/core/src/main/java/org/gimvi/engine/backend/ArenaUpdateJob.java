package org.gimvi.engine.backend;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * The three whole-arena passes of a training step, zeroing the gradients, the gradient-lane fold and
 * Adam's update, split into fixed blocks over the worker pool once an arena is large (a 2,000-gene
 * model has ~430,000 parameters; a 33-gene one 15,000, which stays on the caller). All are
 * elementwise, and the vector kernels equal their scalar tails, so any split gives the same bits; the
 * block count depends on the arena's size alone. One per thread (operands as fields: no allocation
 * per step).
 */
final class ArenaUpdateJob implements WorkerPool.Task {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = 16_384; // a multiple of every vector length
    private static final int PARALLEL_MIN = 4 * BLOCK;

    private enum Pass { FILL, FOLD, ADAM }

    private Pass pass;
    private float value;
    private float[] w;
    private float[] g;
    private float[] m;
    private float[] v;
    private int off;
    private int n;
    private AdamUpdate.Coefficients c;

    void adam(float[] w, float[] g, float[] m, float[] v, int off, int n, AdamUpdate.Coefficients c, WorkerPool pool) {
        this.pass = Pass.ADAM;
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
        this.pass = Pass.FOLD;
        this.g = lane;
        this.w = sum;
        this.off = 0;
        this.n = n;
        run(pool);
    }

    /** x[off, off + n) = value (a gradient range zeroed before a step's backward). */
    void fill(float value, float[] x, int off, int n, WorkerPool pool) {
        this.pass = Pass.FILL;
        this.value = value;
        this.w = x;
        this.off = off;
        this.n = n;
        run(pool);
    }

    /** Whether a pass over n arena elements is split over {@code pool}. */
    static boolean worthSplitting(WorkerPool pool, int n) {
        return pool != null && pool.threads() > 1 && n >= PARALLEL_MIN;
    }

    private void run(WorkerPool pool) {
        int tasks = (n + BLOCK - 1) / BLOCK;
        try {
            if (!worthSplitting(pool, n)) {
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
        switch (pass) {
            case FILL -> Arrays.fill(w, off + start, off + start + len, value);
            case FOLD -> addAndZero(g, w, start, len);
            case ADAM -> AdamUpdate.simd(w, g, m, v, off + start, len, c);
            default -> throw new IllegalStateException("unknown pass " + pass);
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

package org.gimvi.engine.backend;

import org.gimvi.engine.kernels.CountLikelihoodKernels;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * A count likelihood over a large block split into row ranges run on the worker pool: on wide
 * references the decoder-side likelihood is the biggest single-threaded part of a step, and with
 * many genes the training plan runs the datasets one after another, so the second core would idle
 * through it. Each task runs the ordinary cache-blocked kernel on its rows with its own thread's
 * scratch; an element's result does not depend on its position, so results are the same bits for
 * any split and thread count.
 *
 * <p>One instance per calling thread (it lives in {@link BackendScratch}); the operands are fields,
 * so dispatching allocates nothing. When the pool is already running tasks (datasets side by side),
 * {@link WorkerPool#forEach} runs the ranges on the calling thread.
 */
final class ParallelLikelihood implements WorkerPool.Task {
    /** Below this many elements one thread is faster than a dispatch (≈ 8 µs against ~16 ns per element). */
    static final int MIN_ELEMENTS = 32_768;

    enum Kind { NB, ZINB, GAUSSIAN }

    private final ScalarBackend owner; // for the executing thread's scratch
    private Kind kind;
    private int rows;
    private int cols;
    private int off;
    private int rowsPerTask;
    private float[] x;
    private float[] mu;
    private float[] theta;
    private float[] pi;
    private float[] logp;
    private float[] muGrad;
    private float[] thetaGrad;
    private float[] piGrad;

    ParallelLikelihood(ScalarBackend owner) {
        this.owner = owner;
    }

    /** Whether a rows×cols block is worth splitting over {@code pool}. */
    static boolean worthSplitting(WorkerPool pool, int rows, int cols) {
        return pool != null && pool.threads() > 1 && rows > 1 && (long) rows * cols >= MIN_ELEMENTS;
    }

    void run(WorkerPool pool, Kind kind, int rows, int cols, int off, float[] x, float[] mu, float[] theta,
             float[] pi, float[] logp, float[] muGrad, float[] thetaGrad, float[] piGrad) {
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        this.off = off;
        this.x = x;
        this.mu = mu;
        this.theta = theta;
        this.pi = pi;
        this.logp = logp;
        this.muGrad = muGrad;
        this.thetaGrad = thetaGrad;
        this.piGrad = piGrad;
        int tasks = Math.min(pool.threads(), rows);
        rowsPerTask = (rows + tasks - 1) / tasks;
        try {
            pool.forEach((rows + rowsPerTask - 1) / rowsPerTask, this);
        } finally {
            this.x = null;
            this.mu = null;
            this.theta = null;
            this.pi = null;
            this.logp = null;
            this.muGrad = null;
            this.thetaGrad = null;
            this.piGrad = null;
        }
    }

    @Override
    public void run(int task) {
        int r0 = task * rowsPerTask;
        int r = Math.min(rowsPerTask, rows - r0);
        int o = off + r0 * cols;
        float[][] scratch = owner.local().likelihood(CountLikelihoodKernels.scratchLength(r, cols));
        switch (kind) {
            case NB -> CountLikelihoodKernels.negBinomial(r, cols, o, x, mu, theta, scratch, logp, muGrad, thetaGrad);
            case ZINB -> CountLikelihoodKernels.zeroInflatedNegBinomial(r, cols, o, x, mu, theta, pi, scratch, logp,
                    muGrad, thetaGrad, piGrad);
            case GAUSSIAN -> CountLikelihoodKernels.gaussian(r, cols, o, x, mu, theta, scratch, logp, muGrad,
                    thetaGrad);
            default -> throw new IllegalStateException("unknown likelihood " + kind);
        }
    }
}

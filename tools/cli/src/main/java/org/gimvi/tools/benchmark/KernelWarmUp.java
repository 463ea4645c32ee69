package org.gimvi.tools.benchmark;

import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * Compiles the engine's shared kernels before any method is timed. The first exact k-NN search of a
 * JVM took 3.3 s of wall time (1.6 s of CPU) on the osmFISH/Allen shapes against 0.25 s once compiled,
 * and the same without the worker pool: the cost is JIT compilation, not pool start-up. Vector API
 * code runs boxed, allocating every vector, until C2 compiles it — the SIMD GEMM's own warm-up (about
 * 2 s of wall time on a loaded machine) and then the k-NN's heap loops. Without this the first method
 * of a run that searches neighbours pays it, so the order of --methods changed their times.
 */
final class KernelWarmUp {
    /** Enough queries × references (≈ 2 million distance offers) for C2 to compile the heap code. */
    private static final int CELLS = 1500;
    private static final int DIMENSIONS = 16;
    private static final int NEIGHBOURS = 20;

    private KernelWarmUp() {
    }

    /** Runs the warm-up searches (both metrics) on seeded data; returns the wall seconds it took. */
    static double run() {
        long t0 = System.nanoTime();
        float[] x = new float[CELLS * DIMENSIONS];
        new Rng(20_240_601L).fillGaussian(x, x.length);
        for (KnnMetric metric : KnnMetric.values()) {
            ExactKnn.search(x, CELLS, x, CELLS, DIMENSIONS, NEIGHBOURS, metric, false, WorkerPool.shared());
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}

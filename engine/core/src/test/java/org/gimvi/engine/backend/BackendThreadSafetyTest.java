package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.concurrent.CyclicBarrier;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * One backend object used from two threads at once (as gimVI's datasets use it) must give each
 * thread exactly what it gets alone: the backends keep their temporaries per thread.
 */
class BackendThreadSafetyTest {

    /** A chain of operations that all use backend scratch space: transposed GEMM, log-softmax, BatchNorm, NB. */
    private static float[] work(ComputeBackend b, long seed, int rows, int cols) {
        Rng rng = new Rng(seed);
        FMatrixRMaj a = new FMatrixRMaj(rows, cols);
        FMatrixRMaj w = new FMatrixRMaj(rows, cols);
        rng.fillGaussian(a.data, a.data.length);
        rng.fillGaussian(w.data, w.data.length);
        FMatrixRMaj c = new FMatrixRMaj(rows, rows);
        b.multTransB(a, w, c);
        FMatrixRMaj ls = new FMatrixRMaj(rows, rows);
        b.rowLogSoftmax(c, ls);
        float[] gamma = new float[rows];
        float[] beta = new float[rows];
        java.util.Arrays.fill(gamma, 1f);
        FMatrixRMaj xhat = new FMatrixRMaj(rows, rows);
        FMatrixRMaj y = new FMatrixRMaj(rows, rows);
        b.batchNormTrain(ls, gamma, beta, 1e-3f, 0.01f, new float[rows], new float[rows], xhat, new float[rows],
                new float[rows], y);
        float[] mu = new float[rows * rows];
        float[] x = new float[rows * rows];
        float[] theta = new float[rows];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) Math.exp(y.data[i]) + 0.1f;
            x[i] = i % 5;
        }
        java.util.Arrays.fill(theta, 2.5f);
        float[] logp = new float[mu.length];
        b.negBinomial(rows, rows, x, mu, theta, logp, new float[mu.length], new float[mu.length]);
        float[] out = new float[y.data.length + logp.length];
        System.arraycopy(y.data, 0, out, 0, rows * rows);
        System.arraycopy(logp, 0, out, rows * rows, logp.length);
        return out;
    }

    @Test
    void concurrentCallsMatchSerialCalls() throws Exception {
        for (ComputeBackend backend : new ComputeBackend[] {new ScalarBackend(), new SimdBackend(null)}) {
            int[][] shapes = {{33, 17}, {129, 40}};
            float[][] serial = {work(backend, 1, shapes[0][0], shapes[0][1]), work(backend, 2, shapes[1][0], shapes[1][1])};
            float[][] parallel = new float[2][];
            for (int round = 0; round < 20; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Thread[] threads = new Thread[2];
                for (int t = 0; t < 2; t++) {
                    int id = t;
                    threads[t] = new Thread(() -> {
                        try {
                            start.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        parallel[id] = work(backend, id + 1, shapes[id][0], shapes[id][1]);
                    });
                    threads[t].start();
                }
                for (Thread t : threads) {
                    t.join();
                }
                assertArrayEquals(serial[0], parallel[0], backend.name() + " thread 0, round " + round);
                assertArrayEquals(serial[1], parallel[1], backend.name() + " thread 1, round " + round);
            }
        }
    }
}

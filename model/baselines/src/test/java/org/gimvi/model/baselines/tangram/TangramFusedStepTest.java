package org.gimvi.model.baselines.tangram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.nn.Adam;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * The fused epoch (gradient, Adam, softmax row by row) against its definition: the objective's separate
 * backward pass, the engine's Adam on the whole matrix and the backend's row softmax. Bit for bit, on
 * awkward spot counts (1, 3, 33, 127, 129: vector bodies and scalar tails) and any thread count.
 */
class TangramFusedStepTest {
    private final ComputeBackend backend = Backends.create("simd");

    @Test
    void equalsSeparateBackwardAdamAndSoftmaxBitForBit() {
        for (int spots : new int[] {1, 3, 33, 127, 129}) {
            for (int n : new int[] {1, 3, 33}) {
                check(n, spots, 4, spots > 1);
            }
        }
    }

    private void check(int n, int spots, int genes, boolean density) {
        Rng rng = new Rng(31L * n + spots);
        FMatrixRMaj source = backend.allocate(n, genes);
        for (int i = 0; i < n * genes; i++) {
            source.data[i] = rng.nextDouble() < 0.5 ? 0f : (float) (3 * rng.nextDouble()); // sparse, as real data
        }
        FMatrixRMaj target = backend.allocate(spots, genes);
        for (int i = 0; i < spots * genes; i++) {
            target.data[i] = (float) (5 * rng.nextDouble());
        }
        float[] weight = new float[n];
        java.util.Arrays.fill(weight, 1f / n);
        float[] d = null;
        if (density) {
            d = new float[spots];
            java.util.Arrays.fill(d, 1f / spots);
        }
        FMatrixRMaj logits = backend.allocate(n, spots);
        rng.fillGaussian(logits.data, n * spots);
        FMatrixRMaj fusedLogits = logits.copy();

        // the definition: evaluate (softmax, forward, backward into a gradient matrix), then Adam.step
        TangramObjective reference = new TangramObjective(backend, source, target, weight, d, 1f, 1f);
        FMatrixRMaj grad = backend.allocate(n, spots);
        Adam adam = new Adam(backend, List.of(new Parameter("M", logits, grad)), 0.1f, 0.9f, 0.999f, 1e-8f, 0f);
        // the fused step
        TangramObjective fused = new TangramObjective(backend, source, target, weight, d, 1f, 1f);
        float[] m = new float[n * spots];
        float[] v = new float[n * spots];
        AdamUpdate.Coefficients step = new AdamUpdate.Coefficients();
        fused.setLogits(fusedLogits);
        for (int epoch = 0; epoch < 4; epoch++) {
            double lossRef = reference.evaluate(logits, grad);
            adam.step();
            double lossFused = fused.forward();
            fused.stepAndRemap(fusedLogits, m, v, step.forStep(0.1f, 0.9f, 0.999f, 1e-8f, 0f, epoch + 1L));
            String where = n + " × " + spots + ", epoch " + epoch;
            assertEquals(lossRef, lossFused, 0.0, where);
            assertArrayEquals(logits.data, fusedLogits.data, 0f, where);
        }
        // the mapping left by the last fused step is the softmax of the final logits
        FMatrixRMaj p = backend.allocate(n, spots);
        backend.rowSoftmax(fusedLogits, p);
        assertArrayEquals(p.data, fused.probabilities.data, 0f, n + " × " + spots);
    }

    @Test
    void spotBlocksDoNotChangeTheBits() {
        int w = 6;
        for (int spots : new int[] {1, 3, 33, 127, 129, 1100}) {
            int n = 21;
            Rng rng = new Rng(spots);
            float[] s = new float[n * w];
            for (int i = 0; i < s.length; i++) {
                s[i] = rng.nextDouble() < 0.4 ? 0f : (float) rng.nextDouble();
            }
            float[] g = new float[w * spots];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextGaussian();
            }
            float[] logits = new float[n * spots];
            rng.fillGaussian(logits, logits.length);
            TangramKernels.SparseRows sparse = new TangramKernels.SparseRows(s, n, w);
            int[] blocks = {TangramKernels.vectorLength(), 3 * TangramKernels.vectorLength(), TangramKernels.SPOT_BLOCK};
            float[][] results = new float[blocks.length][];
            WorkerPool pool = new WorkerPool(2);
            for (int b = 0; b < blocks.length; b++) {
                float[] x = logits.clone();
                float[] prob = new float[n * spots];
                for (int i = 0; i < n; i++) {
                    TangramKernels.softmaxRow(x, i * spots, spots, new float[spots], new float[64], prob);
                }
                TangramKernels.backwardAdamSoftmax(sparse, g, spots, prob, x, new float[n * spots], new float[n * spots],
                        new AdamUpdate.Coefficients().forStep(0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1), pool, blocks[b]);
                results[b] = x;
            }
            pool.shutdown();
            for (int b = 1; b < blocks.length; b++) {
                assertArrayEquals(results[0], results[b], 0f, spots + " spots, block " + blocks[b]);
            }
        }
    }

    @Test
    void isTheSameOnOneThreadOrMany() {
        int n = 45;
        int spots = 129;
        int w = 5;
        Rng rng = new Rng(9);
        float[] s = new float[n * w];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextDouble() < 0.6 ? 0f : (float) rng.nextDouble();
        }
        float[] g = new float[w * spots];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rng.nextGaussian();
        }
        float[] p = new float[n * spots];
        float[] logits = new float[n * spots];
        rng.fillGaussian(logits, logits.length);
        TangramKernels.SparseRows sparse = new TangramKernels.SparseRows(s, n, w);
        float[][] results = new float[2][];
        int[] threads = {1, 3};
        for (int r = 0; r < 2; r++) {
            float[] x = logits.clone();
            float[] prob = p.clone();
            float[] m = new float[n * spots];
            float[] v = new float[n * spots];
            for (int i = 0; i < n; i++) {
                TangramKernels.softmaxRow(x, i * spots, spots, new float[spots], new float[64], prob);
            }
            WorkerPool pool = new WorkerPool(threads[r]);
            TangramKernels.backwardAdamSoftmax(sparse, g, spots, prob, x, m, v,
                    new AdamUpdate.Coefficients().forStep(0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1), pool);
            pool.shutdown();
            results[r] = x;
        }
        assertArrayEquals(results[0], results[1], 0f);
    }
}

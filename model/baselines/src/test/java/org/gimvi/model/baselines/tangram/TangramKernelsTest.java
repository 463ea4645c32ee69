package org.gimvi.model.baselines.tangram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/** The fused kernels against plain double loops, on shapes that use both the vector and the tail paths. */
class TangramKernelsTest {
    @Test
    void matchPlainLoopsAndAreThreadCountIndependent() {
        Rng rng = new Rng(4);
        int n = 37;
        int w = 7;
        int spots = 3 * 64 + 21;
        float[] s = new float[n * w];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextDouble() < 0.6 ? 0f : (float) rng.nextDouble(); // mostly zeros, as real data
        }
        float[] p = new float[n * spots];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) rng.nextDouble();
        }
        float[] g = new float[w * spots];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rng.nextGaussian();
        }
        TangramKernels.SparseRows sparse = new TangramKernels.SparseRows(s, n, w);
        float[] out = new float[w * spots];
        TangramKernels.sourceTransposedTimesMapping(sparse, p, spots, out, new WorkerPool(3));
        float[] out1 = new float[w * spots];
        TangramKernels.sourceTransposedTimesMapping(sparse, p, spots, out1, new WorkerPool(1));
        assertArrayEquals(out, out1, 0f);
        for (int c = 0; c < w; c++) {
            for (int j = 0; j < spots; j++) {
                double e = 0;
                for (int i = 0; i < n; i++) {
                    e += (double) s[i * w + c] * p[i * spots + j];
                }
                assertEquals(e, out[c * spots + j], 1e-5 * (1 + Math.abs(e)));
            }
        }
        float[] dm = new float[n * spots];
        TangramKernels.softmaxBackwardOfSourceProduct(sparse, g, spots, p, dm, new WorkerPool(3));
        float[] dm1 = new float[n * spots];
        TangramKernels.softmaxBackwardOfSourceProduct(sparse, g, spots, p, dm1, new WorkerPool(1));
        assertArrayEquals(dm, dm1, 0f);
        for (int i = 0; i < n; i++) {
            double[] dp = new double[spots];
            double dot = 0;
            for (int j = 0; j < spots; j++) {
                for (int c = 0; c < w; c++) {
                    dp[j] += (double) s[i * w + c] * g[c * spots + j];
                }
                dot += p[i * spots + j] * dp[j];
            }
            for (int j = 0; j < spots; j++) {
                double e = p[i * spots + j] * (dp[j] - dot);
                assertEquals(e, dm[i * spots + j], 1e-4 * (1 + Math.abs(e)), "row " + i + " spot " + j);
            }
        }
    }
}

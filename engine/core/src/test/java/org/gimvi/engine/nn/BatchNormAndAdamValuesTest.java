package org.gimvi.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/** BatchNorm and Adam against values computed by hand (PyTorch semantics). */
class BatchNormAndAdamValuesTest {

    @Test
    void batchNormTrainingEvalAndRunningStatistics() {
        SimdBackend backend = new SimdBackend(null);
        BatchNorm1d bn = new BatchNorm1d(backend, "bn", 1, 1e-3f, 0.01f);
        FMatrixRMaj x = new FMatrixRMaj(new float[][]{{1f}, {2f}, {3f}, {6f}});
        FMatrixRMaj y = new FMatrixRMaj(4, 1);
        BatchNorm1d.Cache cache = new BatchNorm1d.Cache(backend, 4, 1);
        bn.forward(x, y, cache, ForwardMode.TRAINING);
        // mean 3, biased variance (4+1+0+9)/4 = 3.5, unbiased 14/3
        double inv = 1 / Math.sqrt(3.5 + 1e-3);
        assertEquals(-2 * inv, y.get(0, 0), 1e-6);
        assertEquals(3 * inv, y.get(3, 0), 1e-6);
        assertEquals(0.01 * 3, bn.runningMean()[0], 1e-7);
        assertEquals(0.99 + 0.01 * 14.0 / 3.0, bn.runningVar()[0], 1e-6);
        bn.forward(x, y, cache, ForwardMode.EVALUATION);
        double evalInv = 1 / Math.sqrt(bn.runningVar()[0] + 1e-3);
        assertEquals((1 - 0.03) * evalInv, y.get(0, 0), 1e-6);
    }

    @Test
    void adamFollowsPyTorchWithWeightDecay() {
        FMatrixRMaj w = new FMatrixRMaj(new float[][]{{0.5f, -1f}});
        FMatrixRMaj g = new FMatrixRMaj(1, 2);
        Parameter p = new Parameter("w", w, g);
        Adam adam = new Adam(new org.gimvi.engine.backend.ScalarBackend(), List.of(p), 0.1f, 0.9f, 0.999f, 0.01f, 0.1f);
        double[] wd = {0.5, -1};
        double[] m = new double[2];
        double[] v = new double[2];
        double[][] grads = {{0.2, -0.4}, {1.0, 0.3}, {-0.5, 0.05}};
        for (int t = 1; t <= 3; t++) {
            g.data[0] = (float) grads[t - 1][0];
            g.data[1] = (float) grads[t - 1][1];
            adam.step();
            for (int i = 0; i < 2; i++) {
                double gi = grads[t - 1][i] + 0.1 * wd[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 0.01;
                wd[i] -= 0.1 / (1 - Math.pow(0.9, t)) * m[i] / denom;
            }
            assertEquals(wd[0], w.data[0], 1e-6, "step " + t);
            assertEquals(wd[1], w.data[1], 1e-6, "step " + t);
        }
        adam.zeroGrad();
        assertArrayEquals(new float[]{0f, 0f}, g.data);
    }

    @Test
    void linearUsesPyTorchDefaultInitBounds() {
        Linear lin = new Linear(new SimdBackend(null), "l", 64, 10, new Rng(1));
        float bound = (float) (1 / Math.sqrt(64));
        float max = 0;
        for (float f : lin.weight().value().toArray()) {
            max = Math.max(max, Math.abs(f));
        }
        assertEquals(true, max <= bound && max > 0.9 * bound, "max |w| = " + max);
    }
}

package org.gimvi.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * The two mechanisms that let one layer serve several datasets at once: gradient lanes (summed into
 * the gradient in lane order) and staged BatchNorm running statistics (committed later, bit-identical
 * to an immediate update).
 */
class ParallelCallSitesTest {

    @Test
    void lanesAreSummedIntoTheGradientInLaneOrderAndThenCleared() {
        Parameter p = new Parameter("p", new FMatrixRMaj(1, 3), new FMatrixRMaj(1, 3));
        assertThrows(IllegalStateException.class, () -> p.grad(1), "lanes must be allocated first");
        ComputeBackend backend = new SimdBackend(null);
        p.ensureLanes(backend, 3);
        float[] g0 = {1e8f, 1f, -2f};
        float[] g1 = {1f, 2f, 0.5f};
        float[] g2 = {-1e8f, 3f, 0.25f};
        p.grad(0).copyFrom(g0);
        p.grad(1).copyFrom(g1);
        p.grad(2).copyFrom(g2);
        p.arena().reduceLanes(backend);
        for (int i = 0; i < 3; i++) {
            float expected = (g0[i] + g1[i]) + g2[i]; // lane order, not any other association
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(p.grad().get(i)), "element " + i);
            assertEquals(0f, p.grad(1).get(i));
            assertEquals(0f, p.grad(2).get(i));
        }
        p.ensureLanes(backend, 2); // never shrinks
        assertEquals(0f, p.grad(2).get(0));
    }

    @Test
    void stagedRunningStatisticsEqualImmediateUpdatesBitForBit() {
        for (ComputeBackend backend : new ComputeBackend[] {new ScalarBackend(), new SimdBackend(null)}) {
            for (int features : new int[] {1, 3, 33, 127, 129}) {
                BatchNorm1d immediate = new BatchNorm1d(backend, "a", features);
                BatchNorm1d deferred = new BatchNorm1d(backend, "b", features);
                BatchNorm1d.Cache ci = new BatchNorm1d.Cache(backend, 8, features);
                BatchNorm1d.Cache cd = new BatchNorm1d.Cache(backend, 8, features, 1, RunningStatistics.DEFER_TO_COMMIT);
                FMatrixRMaj yi = new FMatrixRMaj(8, features);
                FMatrixRMaj yd = new FMatrixRMaj(8, features);
                Rng rng = new Rng(features);
                for (int step = 0; step < 5; step++) {
                    FMatrixRMaj x = new FMatrixRMaj(5 + step % 3, features);
                    rng.fillGaussian(x.data, x.data.length);
                    float[] before = deferred.runningMean().clone();
                    immediate.forward(x, yi, ci, ForwardMode.TRAINING);
                    deferred.forward(x, yd, cd, ForwardMode.TRAINING);
                    assertArrayEquals(yi.data, yd.data, "training output does not depend on the policy");
                    assertArrayEquals(before, deferred.runningMean(), "nothing moves before the commit");
                    deferred.commitRunningStatistics(cd);
                    deferred.commitRunningStatistics(cd); // a second commit of the same stage is a no-op
                    for (int j = 0; j < features; j++) {
                        assertEquals(Float.floatToIntBits(immediate.runningMean()[j]),
                                Float.floatToIntBits(deferred.runningMean()[j]), backend.name() + " mean " + j);
                        assertEquals(Float.floatToIntBits(immediate.runningVar()[j]),
                                Float.floatToIntBits(deferred.runningVar()[j]), backend.name() + " var " + j);
                    }
                }
            }
        }
    }

    @Test
    void aCallSiteBackwardWritesOnlyItsOwnLane() {
        ComputeBackend backend = new SimdBackend(null);
        FullyConnectedLayer layer = new FullyConnectedLayer(backend, "fc", 5, 4, 0, 0f, new Rng(1));
        for (Parameter p : layer.parameters()) {
            p.ensureLanes(backend, 2);
        }
        FullyConnectedLayer.Activations lane0 = layer.newActivations(6, 0, RunningStatistics.DEFER_TO_COMMIT);
        FullyConnectedLayer.Activations lane1 = layer.newActivations(6, 1, RunningStatistics.DEFER_TO_COMMIT);
        FMatrixRMaj x = new FMatrixRMaj(6, 5);
        new Rng(2).fillGaussian(x.data, 30);
        FMatrixRMaj dy = new FMatrixRMaj(6, 4);
        new Rng(3).fillGaussian(dy.data, 24);
        layer.forward(x, null, lane0, new Rng(4), ForwardMode.TRAINING);
        layer.backward(x, null, lane0, dy, null);
        float[][] viaLane0 = new float[layer.parameters().size()][];
        int k = 0;
        for (Parameter p : layer.parameters()) {
            viaLane0[k++] = p.grad().toArray();
            p.zeroGrad();
        }
        layer.forward(x, null, lane1, new Rng(4), ForwardMode.TRAINING);
        layer.backward(x, null, lane1, dy, null);
        k = 0;
        for (Parameter p : layer.parameters()) {
            for (float v : p.grad().toArray()) {
                assertEquals(0f, v, p.name() + ": lane 1 must not touch lane 0");
            }
            assertArrayEquals(viaLane0[k++], p.grad(1).toArray(), p.name());
        }
    }
}

package org.gimvi.model.baselines.liger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.baselines.SimulatedTaskFixtures;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.junit.jupiter.api.Test;

class LigerTest {

    private static double[] lowRank(int n, int g, int rank, double offset, Rng rng) {
        double[] h = new double[n * rank];
        double[] w = new double[rank * g];
        for (int i = 0; i < h.length; i++) {
            h[i] = rng.nextDouble();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextDouble() + offset;
        }
        double[] x = new double[n * g];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < g; j++) {
                double s = 0.05 * rng.nextDouble();
                for (int f = 0; f < rank; f++) {
                    s += h[i * rank + f] * w[f * g + j];
                }
                x[i * g + j] = s;
            }
        }
        return x;
    }

    @Test
    void objectiveDecreasesMonotonically() {
        Rng rng = new Rng(5);
        int g = 12;
        double[] a = lowRank(80, g, 4, 0, rng);
        double[] b = lowRank(60, g, 4, 0.2, rng);
        for (double lambda : new double[] {0, 5, 20}) {
            IntegrativeNmf.Fit fit = IntegrativeNmf.fit(new double[][] {a, b}, new int[] {80, 60}, g, 4, lambda, 40,
                    0, 3);
            double[] o = fit.objectives();
            assertEquals(41, o.length, "no early stop with threshold 0");
            for (int i = 1; i < o.length; i++) {
                assertTrue(o[i] <= o[i - 1] * (1 + 1e-12), "lambda " + lambda + ": objective rose at iteration " + i
                        + ": " + o[i - 1] + " -> " + o[i]);
            }
            assertTrue(o[o.length - 1] < 0.2 * o[0], "the fit improves a lot on low-rank data");
            for (double[] h : fit.h()) {
                for (double v : h) {
                    assertTrue(v >= 0);
                }
            }
            assertEquals(IntegrativeNmf.objective(new double[][] {a, b}, new int[] {80, 60}, g, 4, lambda, fit.h(),
                    fit.w(), fit.v()), fit.finalObjective(), 1e-9 * fit.finalObjective());
        }
    }

    @Test
    void singleDatasetNmfFitsLowRankData() {
        Rng rng = new Rng(9);
        double[] x = lowRank(50, 10, 3, 0, rng);
        double[] h = IntegrativeNmf.fitSingle(x, 50, 10, 3, 100, 1e-9, 1);
        assertEquals(150, h.length);
        for (double v : h) {
            assertTrue(v >= 0 && Double.isFinite(v));
        }
    }

    @Test
    void typeSevenQuantilesMatchR() {
        // R: quantile(c(5, 1, 3, 2), seq(0, 1, by = 0.25)) = 1.00 1.75 2.50 3.50 5.00
        assertArrayEquals(new double[] {1, 1.75, 2.5, 3.5, 5}, QuantileAlignment.typeSevenQuantiles(
                new double[] {5, 1, 3, 2}, 4), 1e-12);
        // approxfun(c(0, 1, 1, 2), c(0, 2, 4, 4), rule = 2): tied x averaged → knots (0,0), (1,3), (2,4)
        QuantileAlignment.PiecewiseLinear f = new QuantileAlignment.PiecewiseLinear(new double[] {0, 1, 1, 2},
                new double[] {0, 2, 4, 4});
        assertEquals(1.5, f.at(0.5), 1e-12);
        assertEquals(3, f.at(1), 1e-12);
        assertEquals(0, f.at(-3), 0);
        assertEquals(4, f.at(9), 0);
    }

    @Test
    void quantileAlignmentMatchesTheReferenceDistributionPerCluster() {
        Rng rng = new Rng(3);
        int k = 2;
        int nRef = 400;
        int nOther = 300;
        // two well separated clusters by max factor; the other dataset's values are a monotone distortion
        double[] ref = new double[nRef * k];
        double[] other = new double[nOther * k];
        for (int i = 0; i < nRef; i++) {
            int c = i % 2;
            ref[i * k + c] = 2 + rng.nextDouble();
            ref[i * k + 1 - c] = 0.3 * rng.nextDouble();
        }
        for (int i = 0; i < nOther; i++) {
            int c = i % 2;
            other[i * k + c] = Math.pow(5 + 3 * rng.nextDouble(), 2);
            other[i * k + 1 - c] = 0.1 * rng.nextDouble();
        }
        double[][] aligned = new QuantileAlignment(50, 20, 20, 1000).align(new double[][] {ref, other},
                new int[] {nRef, nOther}, k, 0, new Rng(1));
        double[] scaledRef = QuantileAlignment.scaleColumns(ref, nRef, k);
        assertArrayEquals(scaledRef, aligned[0], 0, "the reference is only scaled");
        for (int c = 0; c < 2; c++) {
            for (int f = 0; f < k; f++) {
                double[] r = column(scaledRef, nRef, k, f, c);
                double[] o = column(aligned[1], nOther, k, f, c);
                double[] qr = QuantileAlignment.typeSevenQuantiles(r, 10);
                double[] qo = QuantileAlignment.typeSevenQuantiles(o, 10);
                double spread = qr[10] - qr[0];
                for (int t = 0; t <= 10; t++) {
                    assertEquals(qr[t], qo[t], 0.05 * spread + 1e-12, "cluster " + c + " factor " + f + " quantile " + t);
                }
            }
        }
        // the warp is monotone: the order of cells within a cluster and factor is kept
        double[] before = QuantileAlignment.scaleColumns(other, nOther, k);
        for (int i = 0; i < nOther; i += 2) {
            for (int j = i + 2; j < nOther; j += 2) {
                if (before[i * k] < before[j * k]) {
                    assertTrue(aligned[1][i * k] <= aligned[1][j * k]);
                }
            }
        }
    }

    private static double[] column(double[] h, int n, int k, int f, int cluster) {
        return java.util.stream.IntStream.range(0, n).filter(i -> i % 2 == cluster).mapToDouble(i -> h[i * k + f]).toArray();
    }

    @Test
    void sameSeedGivesBitIdenticalPredictionsForAnyThreadCount() {
        ImputationTask task = SimulatedTaskFixtures.smallTask(4);
        LigerMethod m = new LigerMethod();
        ImputationResult a = m.impute(task, 11);
        WorkerPool.setSharedThreads(1);
        try {
            SimulatedTaskFixtures.assertBitIdentical(a, m.impute(task, 11));
        } finally {
            WorkerPool.setSharedThreads(Runtime.getRuntime().availableProcessors());
        }
        ImputationResult other = m.impute(task, 12);
        assertTrue(!Arrays.equals(a.predictions().data, other.predictions().data), "another seed, another fit");
    }

    @Test
    void givesFinitePredictionsAndALatentOnTheSimulator() {
        ImputationTask task = SimulatedTaskFixtures.defaultTask();
        ImputationResult r = new LigerMethod().impute(task, 0);
        SimulatedTaskFixtures.assertFinite(r, task.spatialCounts().rows(), task.targetGenes().length);
        assertEquals(task.seqCounts().rows(), r.latentSeq().numRows);
        assertEquals(task.spatialCounts().rows(), r.latentSpatial().numRows);
        FMatrixRMaj single = LigerMethod.singleDatasetLatent(task.spatialCounts(), 5,
                LigerMethod.Normalisation.LIBRARY_SIZE, 0);
        for (int i = 0; i < single.numRows * single.numCols; i++) {
            assertTrue(Float.isFinite(single.data[i]));
        }
    }

    @Test
    void survivesZeroGenesAndEmptyCellsAndRefusesATooSmallPanel() {
        ImputationTask t = SimulatedTaskFixtures.smallTask(6);
        DenseCountMatrix sp = t.spatialCounts();
        float[] d = sp.data().clone();
        int g = sp.cols();
        for (int i = 0; i < sp.rows(); i++) {
            d[i * g] = 0; // an all-zero gene
            d[i * g + 1] = 3; // a zero-variance gene
        }
        for (int j = 0; j < g; j++) {
            d[5 * g + j] = 0; // a cell without counts
            d[6 * g + j] = j == 2 ? 1 : 0; // a cell with a tiny total
        }
        ImputationTask edited = new ImputationTask("edited", t.seqCounts(), t.seqGenes(), new DenseCountMatrix(sp.rows(), g, d),
                t.spatialGenes(), t.targetGenes());
        SimulatedTaskFixtures.assertFinite(new LigerMethod().impute(edited, 0), sp.rows(), t.targetGenes().length);
        String[] three = Arrays.copyOf(t.spatialGenes(), 3);
        ImputationTask tiny = new ImputationTask("tiny", t.seqCounts(), t.seqGenes(),
                sp.selectColumns(new int[] {0, 1, 2}), three, t.targetGenes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LigerMethod().impute(tiny, 0));
        assertTrue(e.getMessage().startsWith("liger:") && e.getMessage().contains("genes"), e.getMessage());
    }
}

package org.gimvi.model.baselines.tangram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.baselines.SimulatedTaskFixtures;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.junit.jupiter.api.Test;

class TangramTest {
    private final ComputeBackend backend = Backends.defaultBackend();

    private FMatrixRMaj random(int rows, int cols, Rng rng) {
        FMatrixRMaj m = backend.allocate(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            m.data[i] = (float) (rng.nextDouble() * 3);
        }
        return m;
    }

    private void checkGradient(float[] density, float[] weight, int n, int s, int g) {
        Rng rng = new Rng(3);
        FMatrixRMaj source = random(n, g, rng);
        FMatrixRMaj target = random(s, g, rng);
        TangramObjective objective = new TangramObjective(backend, source, target, weight, density, 1f, 1f);
        FMatrixRMaj logits = backend.allocate(n, s);
        rng.fillGaussian(logits.data, n * s);
        FMatrixRMaj grad = backend.allocate(n, s);
        FMatrixRMaj scratch = backend.allocate(n, s);
        objective.evaluate(logits, grad);
        float[] analytic = grad.data.clone();
        double h = 1e-2;
        double maxErr = 0;
        double maxGrad = 0;
        for (int i = 0; i < n * s; i++) {
            float keep = logits.data[i];
            logits.data[i] = (float) (keep + h);
            double up = objective.evaluate(logits, scratch);
            logits.data[i] = (float) (keep - h);
            double down = objective.evaluate(logits, scratch);
            logits.data[i] = keep;
            double numeric = (up - down) / (2 * h);
            maxErr = Math.max(maxErr, Math.abs(numeric - analytic[i]));
            maxGrad = Math.max(maxGrad, Math.abs(analytic[i]));
        }
        assertTrue(maxGrad > 1e-3, "gradient should not vanish on this problem: " + maxGrad);
        assertTrue(maxErr < 2e-3 + 1e-2 * maxGrad, "finite differences differ by " + maxErr + " (max |grad| " + maxGrad + ")");
    }

    @Test
    void gradientMatchesFiniteDifferencesWithDensityTerm() {
        int n = 5;
        int s = 4;
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f / n);
        checkGradient(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, w, n, s, 3);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithClusterWeightsAndWithoutDensity() {
        checkGradient(new float[] {0.5f, 0f, 0.25f, 0.25f}, new float[] {0.5f, 0.3f, 0.1f, 0.05f, 0.05f}, 5, 4, 3);
        checkGradient(null, new float[] {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, 5, 4, 3);
    }

    @Test
    void recoversAPlantedMapping() {
        int n = 8;
        int g = 20;
        Rng rng = new Rng(11);
        FMatrixRMaj source = random(n, g, rng);
        int[] spotOfCell = {3, 0, 6, 1, 7, 2, 5, 4};
        FMatrixRMaj target = backend.allocate(n, g);
        for (int i = 0; i < n; i++) {
            System.arraycopy(source.data, i * g, target.data, spotOfCell[i] * g, g);
        }
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f / n);
        float[] uniform = w.clone();
        TangramMapper.Fit fit = TangramMapper.fit(backend, source, target, w, uniform, 1f, 1f, 1000, 0.1f, 5);
        FMatrixRMaj p = fit.probabilities();
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (p.data[i * n + j] > p.data[i * n + best]) {
                    best = j;
                }
            }
            assertEquals(spotOfCell[i], best, "cell " + i);
            assertTrue(p.data[i * n + best] > 0.5, "cell " + i + " mass on its spot " + p.data[i * n + best]);
        }
        assertTrue(fit.cosine() > 0.99, "cosine " + fit.cosine());
        assertTrue(fit.loss() < fit.firstLoss());
    }

    @Test
    void refusesBeforeAllocatingWhenTheHeapIsTooSmall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TangramMemory.check(TangramMode.CELLS, 1_000_000, 50_000, 30, 8L << 30));
        assertTrue(e.getMessage().contains("tangram") && e.getMessage().contains("clusters"), e.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> TangramMemory.check(TangramMode.CELLS, 100_000, 50_000, 30, Long.MAX_VALUE));
        assertTrue(big.getMessage().contains("Java array"), big.getMessage());
        TangramMemory.check(TangramMode.CELLS, 1000, 3405, 26, 1L << 30); // 56 MB fits in 1 GiB
        assertEquals(4L * (4L * 1000 * 3405 + 1000 * 26 + 3L * 3405 * 26 + 2 * 3405),
                TangramMemory.bytesNeeded(1000, 3405, 26));
    }

    @Test
    void sameSeedGivesBitIdenticalPredictionsForAnyThreadCount() {
        ImputationTask task = SimulatedTaskFixtures.smallTask(2);
        TangramMethod m = new TangramMethod("tangram", TangramMode.CELLS, 60, 0.1f, 1f, 1f,
                DensityPrior.RNA_COUNT_BASED, 0);
        ImputationResult a = m.impute(task, 7);
        WorkerPool.setSharedThreads(1);
        try {
            ImputationResult b = m.impute(task, 7);
            SimulatedTaskFixtures.assertBitIdentical(a, b);
        } finally {
            WorkerPool.setSharedThreads(Runtime.getRuntime().availableProcessors());
        }
        ImputationResult c = m.impute(task, 8);
        assertTrue(c.predictions().data[0] != a.predictions().data[0] || c.predictions().data[1] != a.predictions().data[1]);
        TangramMethod clusters = new TangramMethod("tangram-clusters", TangramMode.CLUSTERS, 60, 0.1f, 1f, 1f,
                DensityPrior.RNA_COUNT_BASED, 20);
        SimulatedTaskFixtures.assertBitIdentical(clusters.impute(task, 3), clusters.impute(task, 3));
    }

    @Test
    void survivesDegenerateGenesAndCellsAndRefusesUnusableInput() {
        ImputationTask t = SimulatedTaskFixtures.smallTask(6);
        org.gimvi.engine.matrix.DenseCountMatrix sp = t.spatialCounts();
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
        ImputationTask edited = new ImputationTask("edited", t.seqCounts(), t.seqGenes(),
                new org.gimvi.engine.matrix.DenseCountMatrix(sp.rows(), g, d), t.spatialGenes(), t.targetGenes());
        for (TangramMode mode : TangramMode.values()) {
            ImputationResult r = new TangramMethod("tangram", mode, 50, 0.1f, 1f, 1f, DensityPrior.RNA_COUNT_BASED, 10)
                    .impute(edited, 0);
            SimulatedTaskFixtures.assertFinite(r, sp.rows(), t.targetGenes().length);
            assertEquals(0f, r.predictions().data[5 * t.targetGenes().length], "a cell without counts has L = 0");
        }
        float[] zeros = new float[sp.rows() * g];
        ImputationTask empty = new ImputationTask("empty", t.seqCounts(), t.seqGenes(),
                new org.gimvi.engine.matrix.DenseCountMatrix(sp.rows(), g, zeros), t.spatialGenes(), t.targetGenes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TangramMethod().impute(empty, 0));
        assertTrue(e.getMessage().startsWith("tangram:") && e.getMessage().contains("gene"), e.getMessage());
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> new TangramMethod("tangram",
                TangramMode.CELLS, 10, 0f, 1f, 1f, DensityPrior.UNIFORM, 0));
        assertTrue(lr.getMessage().contains("learningRate"), lr.getMessage());
    }

    @Test
    void bothModesGiveFinitePredictionsOnTheSimulator() {
        ImputationTask task = SimulatedTaskFixtures.defaultTask();
        int cells = task.spatialCounts().rows();
        int genes = task.targetGenes().length;
        ImputationResult clusters = TangramMethod.inMode(TangramMode.CLUSTERS).impute(task, 0);
        SimulatedTaskFixtures.assertFinite(clusters, cells, genes);
        assertTrue(clusters.notes().startsWith("mode=clusters"), clusters.notes());
        ImputationResult cellsMode = new TangramMethod("tangram", TangramMode.CELLS, 100, 0.1f, 1f, 1f,
                DensityPrior.RNA_COUNT_BASED, 0).impute(task, 0);
        SimulatedTaskFixtures.assertFinite(cellsMode, cells, genes);
        assertTrue(cellsMode.notes().startsWith("mode=cells"), cellsMode.notes());
    }
}

package org.gimvi.model.baselines.magan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.baselines.SimulatedTaskFixtures;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.junit.jupiter.api.Test;

class MaganTest {
    private final ComputeBackend backend = Backends.defaultBackend();

    private FMatrixRMaj batch(int rows, int cols, Rng rng) {
        FMatrixRMaj m = backend.allocate(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            m.data[i] = (float) (2 * rng.nextDouble());
        }
        return m;
    }

    /**
     * Central differences of the loss against the analytic gradient for every parameter entry. ReLU
     * kinks can spoil a difference now and then, so at most 3% of entries may disagree; a wrong
     * gradient disagrees almost everywhere.
     */
    private void checkGradient(MaganModel model, List<Parameter> params, ToDoubleFunction<MaganModel> loss) {
        List<Parameter> all = new ArrayList<>(model.generatorParameters());
        all.addAll(model.discriminatorParameters());
        for (Parameter p : all) {
            p.zeroGrad();
        }
        loss.applyAsDouble(model);
        List<float[]> analytic = new ArrayList<>();
        for (Parameter p : params) {
            analytic.add(p.grad().toArray());
        }
        double h = 1e-3;
        int checked = 0;
        int bad = 0;
        double largest = 0;
        for (int q = 0; q < params.size(); q++) {
            TensorView v = params.get(q).value();
            for (int i = 0; i < params.get(q).size(); i++) {
                float keep = v.get(i);
                v.set(i, (float) (keep + h));
                double up = loss.applyAsDouble(model);
                v.set(i, (float) (keep - h));
                double down = loss.applyAsDouble(model);
                v.set(i, keep);
                double numeric = (up - down) / (2 * h);
                double a = analytic.get(q)[i];
                largest = Math.max(largest, Math.abs(a));
                checked++;
                if (Math.abs(numeric - a) > 2e-3 + 0.05 * Math.abs(a)) {
                    bad++;
                }
            }
        }
        assertTrue(largest > 1e-3, "the gradient should not vanish: " + largest);
        assertTrue(bad <= 0.03 * checked, bad + " of " + checked + " gradient entries differ from finite differences");
    }

    /**
     * A small model whose biases are moved off TensorFlow's zero initialisation: with zero biases a
     * unit fed only by dead ReLUs sits exactly on a kink, where finite differences mean nothing.
     */
    private MaganModel tiny(Rng rng) {
        MaganModel m = new MaganModel(backend, 3, 3, 5, new int[] {6, 5}, new int[] {7, 4}, rng);
        List<Parameter> all = new ArrayList<>(m.generatorParameters());
        all.addAll(m.discriminatorParameters());
        for (Parameter p : all) {
            if (p.name().endsWith(".bias")) {
                rng.fillUniform(p.value().array(), p.value().offset(), p.size(), -0.3f, 0.3f);
            }
        }
        return m;
    }

    @Test
    void generatorLossGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(21);
        MaganModel model = tiny(rng);
        FMatrixRMaj x1 = batch(5, 3, rng);
        FMatrixRMaj x2 = batch(4, 3, rng);
        ToDoubleFunction<MaganModel> loss = m -> m.generatorLossAndBackward(x1, x2);
        checkGradient(model, model.generatorParameters(), loss);
        // the same pass also differentiates loss_G with respect to the discriminators
        checkGradient(model, model.discriminatorParameters(), loss);
    }

    @Test
    void discriminatorLossGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(22);
        MaganModel model = tiny(rng);
        FMatrixRMaj x1 = batch(5, 3, rng);
        FMatrixRMaj x2 = batch(5, 3, rng);
        checkGradient(model, model.discriminatorParameters(), m -> m.discriminatorLossAndBackward(x1, x2));
    }

    @Test
    void lossesHaveTheAuthorsValuesAtAKnownPoint() {
        // with every weight zero, every network outputs 0: logits 0 → each BCE = ln 2; G(x) = 0 → the
        // reconstruction terms are mean x², the correspondence terms Σ_c mean_i x²
        Rng rng = new Rng(1);
        MaganModel model = tiny(rng);
        List<Parameter> all = new ArrayList<>(model.generatorParameters());
        all.addAll(model.discriminatorParameters());
        for (Parameter p : all) {
            Arrays.fill(p.value().array(), p.value().offset(), p.value().offset() + p.size(), 0f);
        }
        FMatrixRMaj x1 = batch(4, 3, rng);
        FMatrixRMaj x2 = batch(4, 3, rng);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < 12; i++) {
            s1 += x1.data[i] * (double) x1.data[i];
            s2 += x2.data[i] * (double) x2.data[i];
        }
        double expectedG = (2 * Math.log(2) + s1 / 12 + s2 / 12 + s1 / 4 + s2 / 4) / 6;
        assertEquals(expectedG, model.generatorLossAndBackward(x1, x2), 1e-6);
        assertEquals(Math.log(2), model.discriminatorLossAndBackward(x1, x2), 1e-7);
    }

    @Test
    void sameSeedGivesBitIdenticalPredictionsForAnyThreadCount() {
        ImputationTask task = SimulatedTaskFixtures.smallTask(5);
        MaganMethod m = new MaganMethod(40, 32, 1e-3f, 10, new int[] {32, 16}, new int[] {32, 16});
        ImputationResult a = m.impute(task, 9);
        WorkerPool.setSharedThreads(1);
        try {
            SimulatedTaskFixtures.assertBitIdentical(a, m.impute(task, 9));
        } finally {
            WorkerPool.setSharedThreads(Runtime.getRuntime().availableProcessors());
        }
        assertTrue(!Arrays.equals(a.latentSpatial().data, m.impute(task, 10).latentSpatial().data));
    }

    @Test
    void givesFinitePredictionsOnTheSimulatorAndOnDegenerateCells() {
        ImputationTask task = SimulatedTaskFixtures.defaultTask();
        ImputationResult r = new MaganMethod(30, MaganMethod.DEFAULT_BATCH, MaganMethod.DEFAULT_LEARNING_RATE,
                MaganMethod.DEFAULT_KNN_K, MaganModel.GENERATOR_HIDDEN, MaganModel.DISCRIMINATOR_HIDDEN).impute(task, 0);
        SimulatedTaskFixtures.assertFinite(r, task.spatialCounts().rows(), task.targetGenes().length);

        ImputationTask t = SimulatedTaskFixtures.smallTask(6);
        DenseCountMatrix sp = t.spatialCounts();
        float[] d = sp.data().clone();
        int g = sp.cols();
        for (int i = 0; i < sp.rows(); i++) {
            d[i * g] = 0;
            d[i * g + 1] = 3;
        }
        Arrays.fill(d, 5 * g, 6 * g, 0f);
        ImputationTask edited = new ImputationTask("edited", t.seqCounts(), t.seqGenes(),
                new DenseCountMatrix(sp.rows(), g, d), t.spatialGenes(), t.targetGenes());
        MaganMethod small = new MaganMethod(20, 32, 1e-3f, 10, new int[] {16}, new int[] {16});
        SimulatedTaskFixtures.assertFinite(small.impute(edited, 0), sp.rows(), t.targetGenes().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaganMethod(0, 0, 1e-3f, 10, new int[] {16}, new int[] {16}));
        assertTrue(e.getMessage().startsWith("magan:"), e.getMessage());
    }
}

package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finite differences of the classifier's two losses: the fool loss's gradient at the latent input
 * (what trains the encoders adversarially) and the classifier loss's parameter gradients, for both
 * ways of calling it: all cells pooled (SPEC) and one call per dataset, losses summed (PAPER2019).
 */
class AdversarialClassifierGradientTest {

    private static AdversarialClassifier classifier(int latent, int classes, ClassifierBatches batching) {
        return new AdversarialClassifier(new ScalarBackend(), latent, classes, batching, 8, new Rng(5));
    }

    private static void load(AdversarialClassifier c, FMatrixRMaj z0, FMatrixRMaj z1) {
        c.clearInput();
        c.appendInput(z0, z0.numRows, 0);
        c.appendInput(z1, z1.numRows, 1);
    }

    @ParameterizedTest
    @EnumSource(ClassifierBatches.class)
    void foolGradientAtTheInputAndClassifierParameterGradients(ClassifierBatches batching) {
        int d = 4;
        FMatrixRMaj z0 = new FMatrixRMaj(5, d);
        FMatrixRMaj z1 = new FMatrixRMaj(4, d);
        new Rng(1).fillUniform(z0.data, z0.data.length, -1.5f, 1.5f);
        new Rng(2).fillUniform(z1.data, z1.data.length, -1.5f, 1.5f);
        AdversarialClassifier c = classifier(d, 2, batching);
        float kappa = 3f;

        // fool loss: gradient with respect to z
        load(c, z0, z1);
        double base = c.foolLoss(kappa, new Rng(9));
        FMatrixRMaj g0 = new FMatrixRMaj(5, d);
        FMatrixRMaj g1 = new FMatrixRMaj(4, d);
        c.inputGradient(0, g0);
        c.inputGradient(1, g1);
        int checked = 0;
        int kinks = 0;
        for (int which = 0; which < 2; which++) {
            FMatrixRMaj z = which == 0 ? z0 : z1;
            FMatrixRMaj g = which == 0 ? g0 : g1;
            for (int i = 0; i < z.data.length; i++) {
                float orig = z.data[i];
                double h = 1e-3;
                z.data[i] = (float) (orig + h);
                load(c, z0, z1);
                double up = kappa * c.foolLoss(kappa, new Rng(9));
                z.data[i] = (float) (orig - h);
                load(c, z0, z1);
                double down = kappa * c.foolLoss(kappa, new Rng(9));
                z.data[i] = orig;
                load(c, z0, z1);
                double mid = kappa * c.foolLoss(kappa, new Rng(9));
                double numeric = (up - down) / ((double) (float) (orig + h) - (double) (float) (orig - h));
                if (Math.abs((up - mid) - (mid - down)) > 0.02 * Math.abs(up - down) + 2e-6) {
                    kinks++;
                    continue;
                }
                assertEquals(numeric, g.data[i], 2e-3 + 0.03 * Math.abs(numeric), "dfool/dz[" + which + "][" + i + "]");
                checked++;
            }
        }
        assertTrue(checked >= 24 && kinks <= 12 && Double.isFinite(base), checked + " checked, " + kinks + " kinks");

        // classifier loss: gradients of the classifier's own parameters
        List<Parameter> ps = c.parameters();
        for (Parameter p : ps) {
            p.zeroGrad();
        }
        load(c, z0, z1);
        c.classifierLoss(kappa, new Rng(11));
        // snapshot: every later evaluation accumulates into grad again
        java.util.Map<Parameter, float[]> analytic = new java.util.HashMap<>();
        for (Parameter p : ps) {
            analytic.put(p, p.grad().toArray());
        }
        int params = 0;
        for (Parameter p : ps) {
            for (int i = 0; i < p.size(); i += 5) {
                float orig = p.value().get(i);
                double h = 1e-3;
                p.value().set(i, (float) (orig + h));
                load(c, z0, z1);
                double up = kappa * c.classifierLoss(kappa, new Rng(11));
                p.value().set(i, (float) (orig - h));
                load(c, z0, z1);
                double down = kappa * c.classifierLoss(kappa, new Rng(11));
                p.value().set(i, orig);
                double numeric = (up - down) / ((double) (float) (orig + h) - (double) (float) (orig - h));
                // ReLU kinks: skip elements where the loss is visibly non-smooth
                load(c, z0, z1);
                double mid = kappa * c.classifierLoss(kappa, new Rng(11));
                if (Math.abs((up - mid) - (mid - down)) > 0.02 * Math.abs(up - down) + 2e-6) {
                    continue;
                }
                assertEquals(numeric, analytic.get(p)[i], 2e-3 + 0.03 * Math.abs(numeric), p.name() + "[" + i + "]");
                params++;
            }
        }
        assertTrue(params > 60, "checked " + params);
    }

    /**
     * One call per dataset normalises each dataset's z with its own minibatch statistics: shifting
     * one dataset's z as a whole leaves the per-dataset loss unchanged but changes the pooled one.
     */
    @Test
    void perDatasetCallsNormaliseEachDatasetSeparately() {
        int d = 3;
        FMatrixRMaj z0 = new FMatrixRMaj(6, d);
        FMatrixRMaj z1 = new FMatrixRMaj(6, d);
        new Rng(3).fillUniform(z0.data, z0.data.length, -1f, 1f);
        new Rng(4).fillUniform(z1.data, z1.data.length, -1f, 1f);
        FMatrixRMaj shifted = z1.copy();
        for (int i = 0; i < shifted.data.length; i++) {
            shifted.data[i] += 2f; // a constant shift per column: removed by a per-dataset BatchNorm
        }
        AdversarialClassifier perDataset = classifier(d, 2, ClassifierBatches.PER_DATASET);
        AdversarialClassifier pooled = classifier(d, 2, ClassifierBatches.POOLED);
        double before = lossOf(perDataset, z0, z1);
        double after = lossOf(perDataset, z0, shifted);
        assertEquals(before, after, 1e-5 * Math.abs(before), "a per-dataset BatchNorm removes the dataset's own mean");
        double pooledBefore = lossOf(pooled, z0, z1);
        double pooledAfter = lossOf(pooled, z0, shifted);
        assertTrue(Math.abs(pooledBefore - pooledAfter) > 1e-3, "pooled BatchNorm sees the shift: "
                + pooledBefore + " vs " + pooledAfter);
        assertTrue(Math.abs(before - pooledBefore) > 1e-3, "the two batchings give different losses");
    }

    private static double lossOf(AdversarialClassifier c, FMatrixRMaj z0, FMatrixRMaj z1) {
        load(c, z0, z1);
        return c.foolLoss(1f, new Rng(2));
    }
}

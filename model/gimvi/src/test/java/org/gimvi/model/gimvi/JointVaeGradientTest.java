package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.random.Rng;
import org.gimvi.engine.matrix.CountMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite differences of the whole per-dataset loss, scale·Σ(rec + w·KL) + Σ R⊙z (the last term
 * stands in for the adversarial gradient arriving at z), against {@link JointVae#backward}: every
 * parameter of the encoder heads, trunk, library encoder, decoder and dispersion is exercised.
 * Dropout masks and reparameterisation noise are replayed by re-seeding the generator.
 */
class JointVaeGradientTest {

    private static double loss(JointVae vae, int m, float scale, float w, FMatrixRMaj r) {
        vae.forwardLoss(m, new Rng(77));
        JointVae.Workspace ws = vae.workspace(m);
        double l = scale * (ws.reconstructionSum() + 0.0);
        // KL weighted: recompute as Σ (klZ + klL)·w
        double kl = 0;
        for (int i = 0; i < ws.rows(); i++) {
            kl += ws.klZ[i] + ws.klL[i];
        }
        l += scale * w * kl;
        for (int e = 0; e < r.numRows * r.numCols; e++) {
            l += (double) r.data[e] * ws.z().data[e];
        }
        return l;
    }

    /** Every spatial likelihood; and the ZINB/NB pair once more with a mostly-zero reference (sparse first layers). */
    static Stream<Arguments> cases() {
        return Stream.concat(Stream.of(Likelihood.values()).map(l -> Arguments.of(l, false)),
                Stream.of(Arguments.of(Likelihood.NB, true)));
    }

    @ParameterizedTest(name = "spatial {0}, sparse reference: {1}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferences(Likelihood spatialLikelihood, boolean sparseReference) {
        List<Gimvi.DatasetInput> data = sparseReference ? TestData.sparsePair(7, 6, 14, 4, 5) : TestData.pair(7, 6, 6, 4, 5);
        GimviArchitecture arch = GimviArchitecture.defaults();
        arch.nLatent = 3;
        arch.hiddenEncoder = 5;
        arch.hiddenLibraryEncoder = 4;
        arch.layersDecoderIndividual = 1; // exercise the conditioned decoder stack too
        arch.hiddenDecoderIndividual = 4;
        arch.hiddenDecoderShared = 4;
        arch.dropoutEncoder = 0.2f;
        arch.dropoutDecoder = 0.2f;
        Gimvi.DatasetInput sp = data.get(1);
        List<Gimvi.DatasetInput> inputs = List.of(data.get(0), Gimvi.DatasetInput.of(sp.name(), sp.counts(), sp.genes(),
                spatialLikelihood, Library.OBSERVED));
        Gimvi model = Gimvi.create(inputs, TestData.options(arch, 3).withBackend("scalar"));
        JointVae vae = model.module();
        vae.prepareWorkspaces(8);
        float scale = 1f / 7;
        float w = 0.7f;
        int checked = 0;
        int skipped = 0;
        for (int m = 0; m < 2; m++) {
            CountMatrix counts = inputs.get(m).counts();
            int n = counts.rows();
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            vae.loadMinibatch(m, counts, model.cellBatch(m), all, 0, n, new int[n]);
            if (sparseReference && m == 0) {
                assertTrue(vae.workspace(0).encoderInput != null, "the reference must reach the encoders by its non-zeros");
            }
            FMatrixRMaj r = new FMatrixRMaj(n, arch.nLatent);
            new Rng(9).fillUniform(r.data, r.data.length, -0.3f, 0.3f);
            List<Parameter> ps = vae.parameters();
            for (Parameter p : ps) {
                p.zeroGrad();
            }
            vae.forwardLoss(m, new Rng(77));
            vae.backward(m, scale, w, r);
            vae.reduceGradientLanes(); // dataset m wrote gradient lane m
            for (Parameter p : ps) {
                for (int i = 0; i < p.size(); i += 3) {
                    float orig = p.value().get(i);
                    double h = 2e-3;
                    p.value().set(i, (float) (orig + h));
                    double up = loss(vae, m, scale, w, r);
                    p.value().set(i, (float) (orig - h));
                    double down = loss(vae, m, scale, w, r);
                    p.value().set(i, orig);
                    double center = loss(vae, m, scale, w, r);
                    double hu = (double) (float) (orig + h) - orig;
                    double hd = orig - (double) (float) (orig - h);
                    double fwd = (up - center) / hu;
                    double bwd = (center - down) / hd;
                    // a ReLU kink between the evaluation points shows as a slope change; float noise in
                    // the loss is ~1e-6 relative, far below this threshold
                    if (Math.abs(fwd - bwd) > 0.02 * (Math.abs(fwd) + Math.abs(bwd)) + 5e-3) {
                        skipped++; // a ReLU kink between the evaluation points
                        continue;
                    }
                    double numeric = (up - down) / (hu + hd);
                    assertEquals(numeric, p.grad().get(i), 0.01 + 0.03 * Math.abs(numeric),
                            "dataset " + m + " " + p.name() + "[" + i + "] (" + spatialLikelihood + ")");
                    checked++;
                }
            }
        }
        assertTrue(checked > 150, "checked " + checked);
        assertTrue(skipped < checked / 10, skipped + " kinks vs " + checked + " checked");
    }

    private static double latentLoss(JointVae vae, int m, FMatrixRMaj r) {
        vae.inference(m, new Rng(77));
        double l = 0;
        for (int e = 0; e < r.numRows * r.numCols; e++) {
            l += (double) r.data[e] * vae.workspace(m).z().data[e];
        }
        return l;
    }

    /**
     * {@link JointVae#backwardFromLatent} (the 2019 scheme's fool step) against finite differences of
     * Σ R⊙z, z sampled by the training-mode encoder: the z-encoder's gradients match, and no other
     * parameter (library encoder, decoder, dispersion) receives any gradient.
     */
    @Test
    void backwardFromLatentReachesOnlyTheLatentEncoder() {
        List<Gimvi.DatasetInput> data = TestData.pair(7, 6, 6, 4, 5);
        GimviArchitecture arch = GimviArchitecture.defaults();
        arch.nLatent = 3;
        arch.hiddenEncoder = 5;
        arch.hiddenLibraryEncoder = 4;
        Gimvi model = Gimvi.create(data, TestData.options(arch, 3).withBackend("scalar"));
        JointVae vae = model.module();
        vae.prepareWorkspaces(8);
        List<Parameter> encoderParams = vae.latentEncoderParameters();
        List<Parameter> others = vae.parametersBeyondLatentEncoder();
        assertEquals(vae.parameters().size(), encoderParams.size() + others.size(), "the two groups partition the module");
        int checked = 0;
        int skipped = 0;
        for (int m = 0; m < 2; m++) {
            CountMatrix counts = data.get(m).counts();
            int n = counts.rows();
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            vae.loadMinibatch(m, counts, model.cellBatch(m), all, 0, n, new int[n]);
            FMatrixRMaj r = new FMatrixRMaj(n, arch.nLatent);
            new Rng(9 + m).fillUniform(r.data, r.data.length, -0.5f, 0.5f);
            for (Parameter p : vae.parameters()) {
                p.zeroGrad();
            }
            vae.inference(m, new Rng(77));
            vae.backwardFromLatent(m, r);
            vae.reduceGradientLanes();
            for (Parameter p : others) {
                for (int i = 0; i < p.size(); i++) {
                    assertEquals(0f, p.grad().get(i), p.name() + " is not reached by a loss on z");
                }
            }
            for (Parameter p : encoderParams) {
                for (int i = 0; i < p.size(); i += 2) {
                    float orig = p.value().get(i);
                    double h = 2e-3;
                    p.value().set(i, (float) (orig + h));
                    double up = latentLoss(vae, m, r);
                    p.value().set(i, (float) (orig - h));
                    double down = latentLoss(vae, m, r);
                    p.value().set(i, orig);
                    double center = latentLoss(vae, m, r);
                    double hu = (double) (float) (orig + h) - orig;
                    double hd = orig - (double) (float) (orig - h);
                    double fwd = (up - center) / hu;
                    double bwd = (center - down) / hd;
                    if (Math.abs(fwd - bwd) > 0.02 * (Math.abs(fwd) + Math.abs(bwd)) + 5e-3) {
                        skipped++; // a ReLU kink between the evaluation points
                        continue;
                    }
                    double numeric = (up - down) / (hu + hd);
                    assertEquals(numeric, p.grad().get(i), 0.01 + 0.03 * Math.abs(numeric),
                            "dataset " + m + " " + p.name() + "[" + i + "]");
                    checked++;
                }
            }
        }
        assertTrue(checked > 60, "checked " + checked);
        assertTrue(skipped < checked / 10 + 2, skipped + " kinks vs " + checked + " checked");
    }
}

package org.gimvi.tools.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.PurityReference;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k-NN purity is measured against each method's own single-dataset latent spaces, or reported as absent. */
class BenchmarkPurityTest {

    /** A method whose joint latent is seeded noise and whose purity reference is given. */
    private record FixedLatentMethod(String name, Long referenceSeed, AtomicInteger referenceCalls)
            implements ImputationMethod {
        @Override
        public ImputationResult impute(ImputationTask task, long seed) {
            int n0 = task.seqCounts().rows();
            int n1 = task.spatialCounts().rows();
            FMatrixRMaj zs = noise(n0, 1);
            FMatrixRMaj zp = noise(n1, 2);
            FMatrixRMaj predictions = new FMatrixRMaj(n1, task.targetGenes().length);
            ImputationResult r = new ImputationResult(predictions, zs, zp, 0, 0, "", null);
            if (referenceSeed == null) {
                return r;
            }
            // the joint latent itself (seed 0) or unrelated noise as the "single-dataset" spaces
            return r.withPurityReference(PurityReference.computed("test reference " + referenceSeed, () -> {
                referenceCalls.incrementAndGet();
                return referenceSeed == 0 ? new PurityReference.Latents(zs, zp)
                        : new PurityReference.Latents(noise(n0, 10 + referenceSeed), noise(n1, 20 + referenceSeed));
            }));
        }
    }

    private static FMatrixRMaj noise(int rows, long seed) {
        FMatrixRMaj m = new FMatrixRMaj(rows, 4);
        new Rng(seed).fillGaussian(m.data, m.data.length);
        return m;
    }

    private static PairedDataset pair() {
        SimulatorConfig c = new SimulatorConfig();
        c.seqCells = 150;
        c.spatialCells = 120;
        c.genes = 30;
        c.panelGenes = 12;
        c.heldOutGenes = 2;
        c.markersPerType = 3;
        SimulatedPair s = TissueSimulator.simulate(c);
        return PairedDataset.of("sim", s);
    }

    @Test
    void eachMethodIsComparedWithItsOwnReferenceOrReportedWithoutOne(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<ImputationMethod> methods = List.of(new FixedLatentMethod("same", 0L, calls),
                new FixedLatentMethod("unrelated", 1L, calls), new FixedLatentMethod("none", null, calls));
        BenchmarkRunner runner = new BenchmarkRunner(dir, methods, new long[] {0}, line -> { });
        runner.run(pair(), "paper");
        List<RunSummary> s = runner.summaries();
        assertEquals(1.0, s.get(0).purity(), 1e-9, "a latent compared with itself has purity 1");
        assertEquals("test reference 0", s.get(0).purityReference());
        assertTrue(s.get(1).purity() < 0.6, "an unrelated reference gives low purity: " + s.get(1).purity());
        assertEquals("test reference 1", s.get(1).purityReference());
        assertTrue(Double.isNaN(s.get(2).purity()), "no reference, no purity");
        assertTrue(s.get(2).purityReference().startsWith("none"), s.get(2).purityReference());
        assertTrue(Double.isFinite(s.get(2).mixing()), "mixing needs only the joint latent");
        assertEquals(2, calls.get());
    }

    @Test
    void referencesAreNotComputedWhenPurityIsOff(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BenchmarkRunner runner = new BenchmarkRunner(dir, List.of(new FixedLatentMethod("same", 0L, calls)),
                new long[] {0}, line -> { });
        runner.setPurity(false);
        runner.run(pair(), "paper");
        assertEquals(0, calls.get());
        assertEquals("not computed (--no-purity)", runner.summaries().get(0).purityReference());
        assertTrue(runner.summaries().get(0).cpuSeconds() >= 0);
    }
}

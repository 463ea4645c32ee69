package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.gimvi.model.gimvi.GeneNameMatching;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.gimvi.TrainingScheme;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training on the device in {@link LockstepBackend lockstep} with the SIMD backend: every operation of
 * every step (both schemes; with batch codes, so the per-batch dispersion and batch-conditioned
 * decoder are exercised too) is compared with the SIMD backend's result from the same inputs, and
 * every operand before each operation. A kernel that computes wrongly, writes outside its output or
 * reads a buffer the host never sent fails here at that operation, named with the model's call site.
 */
class OpenClLockstepTrainingTest {

    @ParameterizedTest(name = "{0}, batches: {1}")
    @CsvSource({"SPEC, false", "PAPER2019, false", "SPEC, true"})
    void everyOperationOfTrainingAgreesWithTheCpu(TrainingScheme scheme, boolean batches) {
        OpenClTestDevice.backend(); // skips with a message when there is no OpenCL runtime
        SimulatorConfig sc = new SimulatorConfig();
        sc.seqCells = 300;
        sc.spatialCells = 260;
        sc.seed = 5;
        SimulatedPair sim = TissueSimulator.simulate(sc);
        Gimvi.DatasetInput spatial = Gimvi.DatasetInput.of("spatial", sim.spatialCounts(), sim.spatialGenes(),
                Likelihood.NB, Library.OBSERVED);
        if (batches) {
            int[] codes = new int[sim.spatialCounts().rows()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = i % 3;
            }
            spatial = spatial.withBatches(codes, 3);
        }
        LockstepBackend.FIRST.setLength(0);
        Gimvi model = Gimvi.create(List.of(
                        Gimvi.DatasetInput.of("seq", sim.seqCounts(), sim.seqGenes(), Likelihood.ZINB, Library.LATENT),
                        spatial),
                GimviOptions.defaults().withArchitecture(GimviArchitecture.defaults())
                        .withGeneNames(GeneNameMatching.EXACT).withBackend("lockstep").withSeed(3));
        TrainingConfig cfg = new TrainingConfig();
        cfg.scheme = scheme;
        cfg.epochs = 2;
        model.train(cfg);
        assertEquals("", LockstepBackend.FIRST.toString(), "the first operation that left the tolerance");
    }
}

package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.gimvi.model.gimvi.Gimvi;

import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.gimvi.TrainingScheme;
import org.gimvi.model.sim.SimulatedPair;

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
        SimulatedPair sim = SimulatedPairs.simulate(300, 260, 5);
        Gimvi.DatasetInput spatial = SimulatedPairs.panel(sim);
        if (batches) {
            int[] codes = new int[sim.spatialCounts().rows()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = i % 3;
            }
            spatial = spatial.withBatches(codes, 3);
        }
        LockstepBackend.FIRST.setLength(0);
        Gimvi model = Gimvi.create(List.of(SimulatedPairs.reference(sim), spatial),
                SimulatedPairs.options(3).withBackend("lockstep"));
        TrainingConfig cfg = new TrainingConfig();
        cfg.scheme = scheme;
        cfg.epochs = 2;
        model.train(cfg);
        assertEquals("", LockstepBackend.FIRST.toString(), "the first operation that left the tolerance");
    }
}

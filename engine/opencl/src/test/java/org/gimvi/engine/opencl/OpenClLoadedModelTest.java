package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Posterior;

import org.gimvi.model.gimvi.Gimvi;

import org.gimvi.model.gimvi.GimviOptions;

import org.gimvi.model.gimvi.ModelFormat;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.sim.SimulatedPair;

import org.junit.jupiter.api.Test;

/**
 * A model trained on the CPU, saved, and loaded on the device (what {@code gimvi impute --model …
 * --device opencl} does): its latent positions and imputed values agree with the CPU-loaded model's,
 * and, run in {@link LockstepBackend lockstep} with the SIMD backend, no operation of the read-out
 * leaves the tolerance — so a stale or overwritten buffer shows at the operation that read it.
 */
class OpenClLoadedModelTest {

    @Test
    void aSavedModelImputesOnTheDeviceAsOnTheCpu() throws Exception {
        OpenClTestDevice.backend(); // skips with a message when there is no OpenCL runtime
        SimulatedPair sim = SimulatedPairs.simulate(300, 700, 9);
        GimviOptions o = SimulatedPairs.options(4);
        Gimvi trained = Gimvi.create(List.of(SimulatedPairs.reference(sim), SimulatedPairs.panel(sim)),
                o.withBackend("simd"));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = 3;
        trained.train(cfg);
        byte[] saved = ModelFormat.encode(trained);
        Gimvi cpu = ModelFormat.decode(saved, o.withBackend("simd"));
        for (String device : new String[]{"opencl:" + Integer.getInteger("gimvi.opencl.device", 0), "lockstep"}) {
            LockstepBackend.FIRST.setLength(0);
            Gimvi loaded = ModelFormat.decode(saved, o.withBackend(device));
            System.gc(); // the decoder's dropped buffers give their ranges back; the next placements reuse them
            FMatrixRMaj zc = cpu.latent(1, sim.spatialCounts(), null, Posterior.MEAN);
            FMatrixRMaj zd = loaded.latent(1, sim.spatialCounts(), null, Posterior.MEAN);
            assertClose(zc, zd, 1e-4, device + ": latent");
            FMatrixRMaj ic = cpu.imputedValues(1, sim.spatialCounts(), null, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN);
            FMatrixRMaj id = loaded.imputedValues(1, sim.spatialCounts(), null, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN);
            assertClose(ic, id, 1e-4, device + ": imputed counts");
            assertEquals("", LockstepBackend.FIRST.toString(), device + ": the first operation that left the tolerance");
        }
    }

    private static void assertClose(FMatrixRMaj want, FMatrixRMaj got, double relToMax, String what) {
        double max = 0;
        for (int i = 0; i < want.getNumElements(); i++) {
            max = Math.max(max, Math.abs(want.data[i]));
        }
        for (int i = 0; i < want.getNumElements(); i++) {
            assertEquals(want.data[i], got.data[i], relToMax * max, what + " element " + i);
        }
    }
}

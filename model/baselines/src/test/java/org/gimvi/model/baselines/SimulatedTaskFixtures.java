package org.gimvi.model.baselines;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imputation tasks from the tissue simulator, and checks shared by the baseline tests. */
public final class SimulatedTaskFixtures {
    private SimulatedTaskFixtures() {
    }

    public static ImputationTask task(SimulatorConfig c) {
        SimulatedPair p = TissueSimulator.simulate(c);
        return new ImputationTask("simulated", p.seqCounts(), p.seqGenes(), p.spatialCounts(), p.spatialGenes(),
                p.heldOutGenes());
    }

    /** The simulator's default configuration. */
    public static ImputationTask defaultTask() {
        return task(new SimulatorConfig());
    }

    /** A small pair (quick tests). */
    public static ImputationTask smallTask(long seed) {
        SimulatorConfig c = new SimulatorConfig();
        c.seqCells = 240;
        c.spatialCells = 200;
        c.genes = 60;
        c.panelGenes = 20;
        c.heldOutGenes = 4;
        c.seed = seed;
        return task(c);
    }

    /** The truth of the held-out genes of a simulated pair (cells × held-out genes). */
    public static DenseCountMatrix truth(SimulatorConfig c) {
        return TissueSimulator.simulate(c).heldOutTruth();
    }

    public static void assertFinite(ImputationResult r, int cells, int genes) {
        FMatrixRMaj p = r.predictions();
        assertEquals(cells, p.numRows);
        assertEquals(genes, p.numCols);
        for (int i = 0; i < cells * genes; i++) {
            assertTrue(Float.isFinite(p.data[i]) && p.data[i] >= 0, "prediction " + i + " = " + p.data[i]);
        }
    }

    public static void assertBitIdentical(ImputationResult a, ImputationResult b) {
        FMatrixRMaj x = a.predictions();
        FMatrixRMaj y = b.predictions();
        assertEquals(x.numRows, y.numRows);
        assertEquals(x.numCols, y.numCols);
        for (int i = 0; i < x.numRows * x.numCols; i++) {
            assertEquals(Float.floatToRawIntBits(x.data[i]), Float.floatToRawIntBits(y.data[i]), "prediction " + i);
        }
    }
}

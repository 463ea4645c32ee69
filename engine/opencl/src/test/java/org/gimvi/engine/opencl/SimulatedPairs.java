package org.gimvi.engine.opencl;

import org.gimvi.model.gimvi.GeneNameMatching;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;

/** The simulated pair and model set-up the OpenCL model tests share: a ZINB reference with a latent library, an NB panel. */
final class SimulatedPairs {
    private SimulatedPairs() {
    }

    static SimulatedPair simulate(int seqCells, int spatialCells, long seed) {
        SimulatorConfig sc = new SimulatorConfig();
        sc.seqCells = seqCells;
        sc.spatialCells = spatialCells;
        sc.seed = seed;
        return TissueSimulator.simulate(sc);
    }

    static Gimvi.DatasetInput reference(SimulatedPair sim) {
        return Gimvi.DatasetInput.of("seq", sim.seqCounts(), sim.seqGenes(), Likelihood.ZINB, Library.LATENT);
    }

    static Gimvi.DatasetInput panel(SimulatedPair sim) {
        return Gimvi.DatasetInput.of("spatial", sim.spatialCounts(), sim.spatialGenes(), Likelihood.NB, Library.OBSERVED);
    }

    /** The default architecture, exact gene names, the given seed (the backend is chosen by the caller). */
    static GimviOptions options(long seed) {
        return GimviOptions.defaults().withArchitecture(GimviArchitecture.defaults())
                .withGeneNames(GeneNameMatching.EXACT).withSeed(seed);
    }
}

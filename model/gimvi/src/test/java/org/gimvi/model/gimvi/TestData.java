package org.gimvi.model.gimvi;

import java.util.List;
import org.gimvi.engine.random.Rng;
import org.gimvi.engine.matrix.DenseCountMatrix;

/** Small random count datasets for model tests. */
final class TestData {
    private TestData() {
    }

    static DenseCountMatrix counts(int rows, int cols, double mean, long seed) {
        Rng rng = new Rng(seed);
        DenseCountMatrix m = DenseCountMatrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            double cellScale = Math.exp(0.5 * rng.nextGaussian());
            double total = 0;
            for (int j = 0; j < cols; j++) {
                double lambda = mean * cellScale * (1 + (j % 3));
                // crude Poisson by summing exponentials, fine for tests
                int k = 0;
                double t = -Math.log(1 - rng.nextDouble()) / lambda;
                while (t < 1) {
                    k++;
                    t += -Math.log(1 - rng.nextDouble()) / lambda;
                }
                m.set(i, j, k);
                total += k;
            }
            if (total == 0) {
                m.set(i, 0, 1);
            }
        }
        return m;
    }

    static String[] genes(int n, int offset) {
        String[] g = new String[n];
        for (int j = 0; j < n; j++) {
            g[j] = "g" + (j + offset);
        }
        return g;
    }

    /** Test options: the given architecture, exact gene names, SIMD backend and seed. */
    static GimviOptions options(GimviArchitecture arch, long seed) {
        return GimviOptions.defaults().withArchitecture(arch).withGeneNames(GeneNameMatching.EXACT).withSeed(seed);
    }

    /** A reference with G genes (ZINB, latent library) and a panel of its genes 1, 3, 4, … (NB, observed). */
    static List<Gimvi.DatasetInput> pair(int seqCells, int spatialCells, int genes, int panel, long seed) {
        DenseCountMatrix seq = counts(seqCells, genes, 3, seed);
        DenseCountMatrix sp = counts(spatialCells, panel, 2, seed + 1);
        String[] seqGenes = genes(genes, 0);
        String[] spGenes = new String[panel];
        for (int j = 0; j < panel; j++) {
            spGenes[j] = seqGenes[genes - 1 - j]; // a reversed subset: a non-identity mapping
        }
        return List.of(Gimvi.DatasetInput.of("seq", seq, seqGenes, Likelihood.ZINB, Library.LATENT),
                Gimvi.DatasetInput.of("spatial", sp, spGenes, Likelihood.NB, Library.OBSERVED));
    }

    /**
     * As {@link #pair}, with a reference of which about a sixth of the entries are non-zero (each
     * cell keeps at least one), so that its minibatches reach the encoders by their non-zero entries.
     */
    static List<Gimvi.DatasetInput> sparsePair(int seqCells, int spatialCells, int genes, int panel, long seed) {
        List<Gimvi.DatasetInput> dense = pair(seqCells, spatialCells, genes, panel, seed);
        DenseCountMatrix seq = (DenseCountMatrix) dense.get(0).counts();
        Rng rng = new Rng(seed + 99);
        for (int i = 0; i < seq.rows(); i++) {
            int keep = (int) (rng.nextFloat() * genes);
            for (int j = 0; j < genes; j++) {
                if (j != keep && rng.nextFloat() >= 0.15f) {
                    seq.set(i, j, 0);
                }
            }
            if (seq.get(i, keep) == 0) {
                seq.set(i, keep, 1);
            }
        }
        return List.of(Gimvi.DatasetInput.of("seq", seq, dense.get(0).genes(), Likelihood.ZINB, Library.LATENT),
                dense.get(1));
    }
}

package org.gimvi.tools.benchmark;

import java.nio.file.Path;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.PseudoSpots;
import org.gimvi.model.io.SpatialBenchmarkPair;
import org.gimvi.model.sim.SimulatedPair;

/**
 * A scRNA-seq / spatial pair as the benchmark uses it: the spatial side holds every measured panel
 * gene (the benchmark hides some of them from the methods).
 *
 * @param paperHeldOut genes the "paper" protocol holds out, or null for the default rule
 * @param coordinates  spatial cells × (x, y, …) in the spatial data's row order, or null (for maps)
 */
public record PairedDataset(String name, DenseCountMatrix seqCounts, String[] seqGenes, DenseCountMatrix spatialCounts,
                            String[] spatialGenes, String[] spatialCells, String[] paperHeldOut, float[][] coordinates) {

    public static PairedDataset read(Path dir) {
        SpatialBenchmarkPair p = SpatialBenchmarkPair.read(dir);
        String[] cells = new String[p.spatialCounts().rows()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = "cell" + (i + 1);
        }
        return new PairedDataset(p.name(), p.seqCounts(), p.seqGenes(), p.spatialCounts(), p.spatialGenes(), cells, null,
                p.coordinates());
    }

    /** A reference and a spatial dataset from any files the readers take (h5ad, loom, text, 10x). */
    public static PairedDataset of(String name, org.gimvi.model.data.CellDataset seq,
                                   org.gimvi.model.data.CellDataset spatial) {
        return new PairedDataset(name, dense(seq.counts()), seq.genes(), dense(spatial.counts()), spatial.genes(),
                spatial.cells(), null, spatial.coordinates());
    }

    private static DenseCountMatrix dense(org.gimvi.engine.matrix.CountMatrix m) {
        if (m instanceof DenseCountMatrix d) {
            return d;
        }
        DenseCountMatrix d = DenseCountMatrix.zeros(m.rows(), m.cols());
        for (int i = 0; i < m.rows(); i++) {
            m.copyRow(i, d.data(), i * m.cols());
        }
        return d;
    }

    /** The simulated pair, with the simulator's held-out genes put back into the panel as truth. */
    public static PairedDataset of(String name, SimulatedPair s) {
        int n = s.spatialCounts().rows();
        int a = s.spatialGenes().length;
        int b = s.heldOutGenes().length;
        DenseCountMatrix full = DenseCountMatrix.zeros(n, a + b);
        String[] genes = new String[a + b];
        System.arraycopy(s.spatialGenes(), 0, genes, 0, a);
        System.arraycopy(s.heldOutGenes(), 0, genes, a, b);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a; j++) {
                full.set(i, j, s.spatialCounts().get(i, j));
            }
            for (int j = 0; j < b; j++) {
                full.set(i, a + j, s.heldOutTruth().get(i, j));
            }
        }
        String[] cells = new String[n];
        for (int i = 0; i < n; i++) {
            cells[i] = "cell" + (i + 1);
        }
        return new PairedDataset(name, s.seqCounts(), s.seqGenes(), full, genes, cells, s.heldOutGenes().clone(),
                s.coordinates());
    }

    /**
     * This pair with its spatial cells summed into the squares of side {@code side} of a grid over their
     * coordinates ({@link PseudoSpots}); named {@code NAME-spotsSIDE}.
     */
    public PairedDataset asPseudoSpots(double side, String sideText) {
        PseudoSpots spots = PseudoSpots.of(spatialCounts, coordinates, side);
        return new PairedDataset(name + "-spots" + sideText, seqCounts, seqGenes, spots.counts(), spatialGenes,
                spots.names(), paperHeldOut, spots.coordinates());
    }
}

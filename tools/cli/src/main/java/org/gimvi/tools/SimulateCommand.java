package org.gimvi.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.io.H5adWriter;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gimvi simulate}: writes the simulated pair as AnnData files — {@code seq.h5ad} (counts, cell
 * type codes), {@code spatial.h5ad} (training-panel counts, cell type and layer, coordinates in
 * obsm['spatial']) and {@code spatial_truth.h5ad} (the held-out genes' true counts).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a scRNA-seq / spatial pair and write it as .h5ad files.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--cells", defaultValue = "1500", description = "Cells per dataset. Default: ${DEFAULT-VALUE}.")
    int cells;

    @Option(names = "--seq-cells", description = "scRNA-seq cells (overrides --cells for the reference).")
    Integer seqCells;

    @Option(names = "--spatial-cells", description = "Spatial cells (overrides --cells for the spatial data).")
    Integer spatialCells;

    @Option(names = "--genes", defaultValue = "150", description = "Genes of the scRNA-seq reference. Default: ${DEFAULT-VALUE}.")
    int genes;

    @Option(names = "--panel-genes", defaultValue = "30",
            description = "Genes the spatial assay measures, held-out ones included. Default: ${DEFAULT-VALUE}.")
    int panelGenes;

    @Option(names = "--held-out-genes", defaultValue = "6",
            description = "Panel genes kept out of spatial.h5ad (their counts go to spatial_truth.h5ad). Default: ${DEFAULT-VALUE}.")
    int heldOutGenes;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig c = new SimulatorConfig();
        c.seed = seed;
        c.seqCells = seqCells != null ? seqCells : cells;
        c.spatialCells = spatialCells != null ? spatialCells : cells;
        c.genes = genes;
        c.panelGenes = panelGenes;
        c.heldOutGenes = heldOutGenes;
        SimulatedPair p = TissueSimulator.simulate(c);
        Files.createDirectories(out);
        String types = String.join(",", p.cellTypeNames());
        H5adWriter.write(out.resolve("seq.h5ad"), new H5adWriter.Content(rows(p.seqCounts()), names("seq", p.seqCounts().rows()),
                p.seqGenes()).obs("cell_type", toDouble(p.seqCellTypes())).uns("cell_type_names", types)
                .uns("simulator_seed", Long.toString(seed)));
        float[][] coords = p.coordinates();
        String[] spatialCells = names("spot", p.spatialCounts().rows());
        H5adWriter.write(out.resolve("spatial.h5ad"), new H5adWriter.Content(rows(p.spatialCounts()), spatialCells,
                p.spatialGenes()).obs("cell_type", toDouble(p.spatialCellTypes())).obs("layer", toDouble(p.spatialLayer()))
                .obsm("spatial", coords).uns("cell_type_names", types).uns("simulator_seed", Long.toString(seed)));
        H5adWriter.write(out.resolve("spatial_truth.h5ad"), new H5adWriter.Content(rows(p.heldOutTruth()), spatialCells,
                p.heldOutGenes()).uns("note", "true counts of the panel genes held out of spatial.h5ad"));
        System.out.printf("wrote %s/{seq,spatial,spatial_truth}.h5ad: scRNA-seq %d × %d, spatial %d × %d (+%d held out)%n",
                out, p.seqCounts().rows(), p.seqCounts().cols(), p.spatialCounts().rows(), p.spatialCounts().cols(),
                p.heldOutGenes().length);
        return 0;
    }

    static float[][] rows(DenseCountMatrix m) {
        float[][] r = new float[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            m.copyRow(i, r[i], 0);
        }
        return r;
    }

    private static double[] toDouble(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static String[] names(String prefix, int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = prefix + (i + 1);
        }
        return s;
    }
}

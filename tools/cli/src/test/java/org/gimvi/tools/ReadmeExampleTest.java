package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.CellFilter;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.H5adWriter;
import org.gimvi.model.methods.GimviMethod;
import org.gimvi.model.methods.ImputationPipeline;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, compiled and run, so it stays true: the lines between the markers
 * below must appear verbatim in README.md, and running them writes an imputed h5ad.
 */
class ReadmeExampleTest {

    static void example(Path dir) throws IOException {
        // README example start
        CellDataset reference = DatasetReaders.read(dir.resolve("reference.h5ad"));
        CellDataset slide = DatasetReaders.read(dir.resolve("slide.h5ad"));
        ImputationPipeline.Prepared pair = ImputationPipeline.prepare(reference, slide); // shared genes, usable cells
        Gimvi model = GimviMethod.defaults().fit(pair, 0L);                             // train gimVI, seed 0
        FMatrixRMaj imputed = model.imputedValues(1, Scale.EXPECTED_COUNTS);            // slide cells × reference genes
        H5adWriter.write(dir.resolve("imputed.h5ad"),
                new H5adWriter.Content(imputed, pair.spatialCellNames(), model.outputGenes()));
        // README example end
    }

    @Test
    void theReadmeExampleRunsAndIsTheOneInTheReadme(@TempDir Path dir) throws IOException {
        SimulatorConfig cfg = new SimulatorConfig();
        cfg.seqCells = 150;
        cfg.spatialCells = 120;
        SimulatedPair sim = TissueSimulator.simulate(cfg);
        write(dir.resolve("reference.h5ad"), sim.seqCounts(), sim.seqGenes());
        write(dir.resolve("slide.h5ad"), sim.spatialCounts(), sim.spatialGenes());

        example(dir);

        CellDataset out = DatasetReaders.read(dir.resolve("imputed.h5ad"));
        assertEquals(CellFilter.nonEmptyRows(sim.spatialCounts(), null).length, out.counts().rows());
        assertEquals(sim.seqGenes().length, out.counts().cols());
        for (int i = 0; i < out.counts().rows(); i++) {
            assertTrue(out.counts().rowSum(i, null) > 0, "cell " + i + " has imputed values");
        }

        String readme = Files.readString(Path.of("../../README.md"), StandardCharsets.UTF_8);
        for (String line : exampleLines()) {
            assertTrue(readme.contains(line.strip()), "README.md lacks the example line: " + line.strip());
        }
    }

    private static void write(Path file, DenseCountMatrix counts, String[] genes) throws IOException {
        float[][] x = new float[counts.rows()][counts.cols()];
        String[] cells = new String[counts.rows()];
        for (int i = 0; i < x.length; i++) {
            counts.copyRow(i, x[i], 0);
            cells[i] = "cell" + i;
        }
        H5adWriter.write(file, new H5adWriter.Content(x, cells, genes));
    }

    private static List<String> exampleLines() throws IOException {
        List<String> src = Files.readAllLines(Path.of("src/test/java/org/gimvi/tools/ReadmeExampleTest.java"));
        int from = src.indexOf("        // README example start");
        int to = src.indexOf("        // README example end");
        return src.subList(from + 1, to);
    }
}

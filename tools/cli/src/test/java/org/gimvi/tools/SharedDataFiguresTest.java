package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.gimvi.model.methods.MethodRegistry;
import org.gimvi.tools.benchmark.BenchmarkRunner;
import org.gimvi.tools.benchmark.PairedDataset;
import org.gimvi.tools.benchmark.ReportFigures;
import org.gimvi.tools.plots.PngChecks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real osmFISH / Allen pair (the paper's Figure 4 data): the benchmark maps Lamp5 at the
 * 3,405 cells' coordinates, measured beside imputed. Skipped when the shared data are absent; point
 * GIMVI_DATA at the data folder to run it from a checkout elsewhere (tests run in tools/).
 */
class SharedDataFiguresTest {

    private static Path pair() {
        String env = System.getenv("GIMVI_DATA");
        Path data = env != null ? Paths.get(env) : Paths.get("../../../shared/data");
        Path p = data.resolve("AllenCortex_SMARTseq_osmFISH33_TISSUEtests");
        Assumptions.assumeTrue(Files.isDirectory(p), "real data not available: " + p);
        return p;
    }

    @Test
    void lamp5IsMappedOnTheOsmFishCells(@TempDir Path out) throws IOException {
        PairedDataset d = PairedDataset.read(pair());
        assertEquals(3405, d.coordinates().length);
        BenchmarkRunner runner = new BenchmarkRunner(out, MethodRegistry.parse("knn,libsize", 1), new long[]{0}, s -> { });
        runner.runDataset(d, List.of("paper"));
        ReportFigures figures = new ReportFigures(out, s -> { });
        figures.drawAll(runner);
        assertTrue(figures.failures().isEmpty(), figures.failures().toString());
        ReportFigures.Figure map = figures.figures().stream().filter(f -> f.png().contains("-spatial-Lamp5"))
                .findFirst().orElseThrow(() -> new AssertionError("no Lamp5 map among " + figures.figures()));
        var img = PngChecks.assertFigure(out.resolve(map.png()));
        assertTrue(img.getWidth() > img.getHeight(), "three panels of the tissue side by side");
    }
}

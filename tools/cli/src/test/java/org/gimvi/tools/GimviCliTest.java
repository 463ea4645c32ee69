package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GimviCliTest {

    /** Runs the CLI capturing stdout and stderr. */
    private static String[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = GimviCli.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[]{Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    /**
     * Every command's help renders cleanly: picocli reads descriptions as format strings, and a bare
     * percent sign made it print three "picocli WARN" lines above the benchmark's help.
     */
    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        for (String command : new picocli.CommandLine(new GimviCli()).getSubcommands().keySet()) {
            String[] r = run(command, "--help");
            assertEquals("0", r[0], command + ": " + r[2]);
            assertTrue(!r[1].contains("WARN") && !r[2].contains("WARN"), command + " --help: " + r[1] + r[2]);
            assertTrue(r[1].contains("Usage: gimvi " + command), r[1]);
        }
    }

    @Test
    void demoRunsEndToEndAndBeatsTheControl(@TempDir Path dir) throws IOException {
        String[] r = run("demo", "--epochs", "40", "--cells", "400", "--out", dir.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("median spearman_norm"), r[1]);
        List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(4, summary.size(), "header + gimvi, knn, libsize");
        assertTrue(Files.exists(dir.resolve("predictions/simulated/paper/gimvi-seed0.csv")));
    }

    /** Writes a simulated pair in the Li et al. layout: genes × cells scRNA-seq, cells × genes spatial. */
    static void writePair(Path dir, long seed) throws IOException {
        SimulatorConfig c = new SimulatorConfig();
        c.seqCells = 150;
        c.spatialCells = 120;
        c.genes = 30;
        c.panelGenes = 12;
        c.heldOutGenes = 2;
        c.markersPerType = 3;
        c.seed = seed;
        SimulatedPair p = TissueSimulator.simulate(c);
        Files.createDirectories(dir);
        StringBuilder seq = new StringBuilder();
        for (int i = 0; i < p.seqCounts().rows(); i++) {
            seq.append('\t').append("c").append(i);
        }
        seq.append('\n');
        for (int j = 0; j < p.seqGenes().length; j++) {
            seq.append(p.seqGenes()[j]);
            for (int i = 0; i < p.seqCounts().rows(); i++) {
                seq.append('\t').append((int) p.seqCounts().get(i, j));
            }
            seq.append('\n');
        }
        Files.writeString(dir.resolve("scRNA_count.txt"), seq.toString());
        StringBuilder sp = new StringBuilder(String.join("\t", p.spatialGenes()));
        sp.append('\n');
        for (int i = 0; i < p.spatialCounts().rows(); i++) {
            for (int j = 0; j < p.spatialGenes().length; j++) {
                sp.append(j == 0 ? "" : "\t").append((int) p.spatialCounts().get(i, j));
            }
            sp.append('\n');
        }
        Files.writeString(dir.resolve("Spatial_count.txt"), sp.toString());
    }

    @Test
    void benchmarkWritesItsDocumentedOutputs(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        writePair(data.resolve("pairA"), 1);
        writePair(data.resolve("pairB"), 2);
        Path out = dir.resolve("out");
        String[] r = run("benchmark", "--data", data.toString(), "--out", out.toString(), "--methods", "knn,libsize",
                "--protocol", "both", "--seeds", "0,1");
        assertEquals("0", r[0], r[1] + r[2]);
        List<String> perGene = Files.readAllLines(out.resolve("per_gene.csv"));
        assertEquals("dataset,protocol,method,seed,gene,spearman,spearman_norm,pearson,ssim,rmse,js", perGene.get(0));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(summary.get(0).startsWith("dataset,protocol,method,seed,genes,median_spearman,median_spearman_norm,"
                + "mean_pearson,train_seconds,impute_seconds,peak_mb"));
        assertTrue(summary.get(0).endsWith("accuracy_score,mixing,purity,cpu_seconds,purity_reference"), summary.get(0));
        assertEquals(1 + 2 * 2 * 2 * 2, summary.size(), "2 datasets × 2 protocols × 2 methods × 2 seeds");
        for (String line : summary.subList(1, summary.size())) {
            String[] f = line.split(",");
            assertTrue(Double.parseDouble(f[20]) >= 0, "CPU seconds are measured: " + line);
            assertEquals("no joint latent space", f[21], "knn and libsize have no latent to measure purity in: " + line);
            if (line.contains(",libsize,")) {
                assertEquals(0.0, Double.parseDouble(f[6]), 1e-9, "libsize scores 0 on spearman_norm: " + line);
            }
        }
        Path kfold = out.resolve("predictions/pairA/kfold");
        List<String> truth = Files.readAllLines(kfold.resolve("truth.csv"));
        List<String> knn = Files.readAllLines(kfold.resolve("knn-seed1.csv"));
        assertEquals(truth.size(), knn.size());
        assertEquals(10, truth.get(0).split(",").length - 1, "kfold predicts every shared gene (the 10 written) once");
        assertTrue(Files.readString(out.resolve("report.md")).contains("## pairB — kfold"));
        org.gimvi.model.data.CellDataset h5 = org.gimvi.model.io.H5adReader.read(kfold.resolve("knn-seed1.h5ad"));
        assertEquals(truth.size() - 1, h5.counts().rows(), "the h5ad predictions have one row per spatial cell");
    }

    @Test
    void benchmarkOnPseudoSpotsSumsCellsOfOneSquareAndRefusesAPairWithoutCoordinates(@TempDir Path dir)
            throws IOException {
        Path data = dir.resolve("pair");
        writePair(data, 3);
        Path out = dir.resolve("out");
        String[] r = run("benchmark", "--data", data.toString(), "--out", out.toString(), "--methods", "knn",
                "--pseudo-spots", "10");
        assertEquals("2", r[0], "the simulated folder has no Locations.txt");
        assertTrue(r[2].contains("Locations.txt") && r[2].contains("--pseudo-spots") && !r[2].contains("Exception"), r[2]);
        // 120 cells on a 12 × 10 lattice of unit spacing; squares of side 2 hold 4 cells each
        StringBuilder loc = new StringBuilder("X\tY\n");
        for (int i = 0; i < 120; i++) {
            loc.append(i % 12).append('\t').append(i / 12).append('\n');
        }
        Files.writeString(data.resolve("Locations.txt"), loc.toString());
        r = run("benchmark", "--data", data.toString(), "--out", out.toString(), "--methods", "knn,libsize",
                "--pseudo-spots", "2");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("120 cells summed into 30 pseudo-spots"), r[1]);
        List<String> truth = Files.readAllLines(out.resolve("predictions/pair-spots2/paper/truth.csv"));
        assertEquals(1 + 30, truth.size(), "one row per spot");
        assertTrue(Files.readString(out.resolve("report.md")).contains("--pseudo-spots 2"));
    }

    @Test
    void evaluateScoresAPredictionFileAgainstTheTruth(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("pair");
        writePair(data, 4);
        Path out = dir.resolve("out");
        assertEquals("0", run("benchmark", "--data", data.toString(), "--out", out.toString(), "--methods", "knn")[0]);
        Path preds = out.resolve("predictions/pair/paper");
        Path evalOut = dir.resolve("eval");
        String[] r = run("evaluate", "--truth", preds.resolve("truth.csv").toString(), "--pred",
                preds.resolve("knn-seed0.csv").toString(), "--out", evalOut.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        List<String> lines = Files.readAllLines(evalOut.resolve("per_gene.csv"));
        assertEquals("gene,spearman,pearson,pcc,ssim,rmse,js", lines.get(0));
        // the same Spearman as the benchmark computed for the same files
        List<String> bench = Files.readAllLines(out.resolve("per_gene.csv"));
        assertEquals(bench.get(1).split(",")[5], lines.get(1).split(",")[1]);
        r = run("evaluate", "--truth", preds.resolve("truth.csv").toString(), "--pred", dir.resolve("nope.csv").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("nope.csv") && r[2].contains("not found"), r[2]);
    }

    @Test
    void simulateWritesReadableAnnData(@TempDir Path dir) {
        String[] r = run("simulate", "--out", dir.toString(), "--cells", "50");
        assertEquals("0", r[0], r[1] + r[2]);
        org.gimvi.model.data.CellDataset sp = org.gimvi.model.io.H5adReader.read(dir.resolve("spatial.h5ad"));
        assertEquals(50, sp.counts().rows());
        assertEquals(24, sp.counts().cols());
        assertEquals(2, sp.coordinates()[0].length);
        assertTrue(sp.integerCounts());
        String[] info = run("info", dir.resolve("seq.h5ad").toString());
        assertEquals("0", info[0], info[2]);
        assertTrue(info[1].contains("50 cells × 150 genes"), info[1]);
    }

    @Test
    void simulateTakesTheShapeOfEachDataset(@TempDir Path dir) {
        String[] r = run("simulate", "--out", dir.toString(), "--seq-cells", "40", "--spatial-cells", "30",
                "--genes", "90", "--panel-genes", "25", "--held-out-genes", "5");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("scRNA-seq 40 × 90, spatial 30 × 20 (+5 held out)"), r[1]);
        r = run("simulate", "--out", dir.resolve("bad").toString(), "--genes", "40", "--panel-genes", "50");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("panel must have between 2 genes and all genes"), r[2]);
    }

    @Test
    void imputeFromAnnDataToAnnDataThenEvaluate(@TempDir Path dir) throws IOException {
        assertEquals("0", run("simulate", "--out", dir.toString(), "--cells", "300")[0]);
        Path out = dir.resolve("imputed.h5ad");
        String[] r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial",
                dir.resolve("spatial.h5ad").toString(), "--out", out.toString(), "--epochs", "30",
                "--members", "1", "--save-model", dir.resolve("m.gimvi").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        org.gimvi.model.data.CellDataset d = org.gimvi.model.io.H5adReader.read(out);
        assertEquals(300, d.counts().rows());
        assertEquals(150, d.counts().cols(), "every reference gene is imputed");
        assertTrue(Files.exists(dir.resolve("m.gimvi")));
        r = run("evaluate", "--truth", dir.resolve("spatial_truth.h5ad").toString(), "--pred", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("300 cells, 6 genes scored"), r[1]);
    }

    @Test
    void theDefaultOneShotImputeIsTheEnsembleAndSaysWhatItChose(@TempDir Path dir) throws IOException {
        assertEquals("0", run("simulate", "--out", dir.toString(), "--cells", "200")[0]);
        Path out = dir.resolve("ensemble.h5ad");
        String[] r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial",
                dir.resolve("spatial.h5ad").toString(), "--out", out.toString(), "--epochs", "8");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue((r[1] + r[2]).contains("5 members") && (r[1] + r[2]).contains("blend w ="), r[1] + r[2]);
        org.gimvi.model.data.CellDataset d = org.gimvi.model.io.H5adReader.read(out);
        assertEquals(200, d.counts().rows());
        assertEquals(150, d.counts().cols(), "every reference gene is imputed");
        r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial", dir.resolve("spatial.h5ad").toString(),
                "--out", dir.resolve("m.h5ad").toString(), "--save-model", dir.resolve("m.gimvi").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--members 1"), r[2]);
        assertTrue(Files.notExists(dir.resolve("m.h5ad")) && Files.notExists(dir.resolve("m.gimvi")));
    }

    @Test
    void kappaAutoChoosesOnThePanelAndSaysSo(@TempDir Path dir) {
        assertEquals("0", run("simulate", "--out", dir.toString(), "--cells", "150")[0]);
        String[] r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial",
                dir.resolve("spatial.h5ad").toString(), "--out", dir.resolve("auto.h5ad").toString(), "--epochs", "2",
                "--members", "1", "--rounds", "1", "--kappa", "auto");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue((r[1] + r[2]).contains("chosen on training genes"), r[1] + r[2]);
        r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial", dir.resolve("spatial.h5ad").toString(),
                "--out", dir.resolve("bad.h5ad").toString(), "--kappa", "lots");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--kappa must be a number ≥ 0 or 'auto'"), r[2]);
        assertTrue(Files.notExists(dir.resolve("bad.h5ad")));
    }

    @Test
    void imputeWithAnotherMethodWritesTheSameLayout(@TempDir Path dir) {
        assertEquals("0", run("simulate", "--out", dir.toString(), "--cells", "200")[0]);
        Path out = dir.resolve("spage.h5ad");
        String[] r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial",
                dir.resolve("spatial.h5ad").toString(), "--out", out.toString(), "--method", "spage", "--param", "k=20");
        assertEquals("0", r[0], r[1] + r[2]);
        org.gimvi.model.data.CellDataset d = org.gimvi.model.io.H5adReader.read(out);
        assertEquals(200, d.counts().rows());
        assertEquals(150, d.counts().cols(), "every reference gene is imputed");
        r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial", dir.resolve("spatial.h5ad").toString(),
                "--out", dir.resolve("x.h5ad").toString(), "--method", "spage", "--param", "neighbours=20");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("neighbours") && r[2].contains("k"), r[2]);
        r = run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial", dir.resolve("spatial.h5ad").toString(),
                "--out", dir.resolve("y.h5ad").toString(), "--method", "nope");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown method 'nope'"), r[2]);
    }

    @Test
    void badInputGivesOneClearLine(@TempDir Path dir) {
        String[] r = run("benchmark", "--data", dir.resolve("missing").toString(), "--out", dir.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("missing") && !r[2].contains("Exception"), r[2]);
        r = run("benchmark", "--data", dir.toString(), "--out", dir.toString(), "--methods", "magic");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown method 'magic'") && r[2].contains("gimvi"), r[2]);
        r = run("benchmark", "--data", dir.toString(), "--out", dir.toString(), "--seeds", "a,b");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--seeds"), r[2]);
    }

    @Test
    void truncatedInputNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("pair");
        writePair(data, 3);
        List<String> lines = Files.readAllLines(data.resolve("Spatial_count.txt"));
        String broken = lines.get(5).substring(0, lines.get(5).lastIndexOf('\t'));
        lines.set(5, broken);
        Files.write(data.resolve("Spatial_count.txt"), lines);
        String[] r = run("benchmark", "--data", data.toString(), "--out", dir.resolve("o").toString(), "--methods", "libsize");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("Spatial_count.txt, line 6"), r[2]);
    }
}

package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.DelimitedTextReader;
import org.gimvi.model.io.H5adReader;
import org.gimvi.model.io.H5adWriter;
import org.gimvi.model.io.TextTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own data end to end on the shared osmFISH / Allen SMART-seq pair: the osmFISH cells are
 * split into three "slides" written as .h5ad with their own obs columns and coordinates; gimVI is
 * trained once on the reference and two slides (as batches), saved, and the model imputes the third
 * slide without retraining; {@code evaluate} scores the result, and the real anndata opens it with
 * every input cell and obs column. Skipped when the shared data or anndata are absent.
 */
class WorkflowTest {
    static final String PAIR = "AllenCortex_SMARTseq_osmFISH33_TISSUEtests";

    /** GIMVI_DATA, or the first shared/data above the working directory (tests run in the module folder). */
    static Path sharedData() {
        String env = System.getenv("GIMVI_DATA");
        if (env != null) {
            return Paths.get(env);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/data"))) {
                return p.resolve("shared/data");
            }
        }
        return Paths.get("shared/data");
    }

    static boolean anndataAvailable() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            return false;
        }
        Process probe = new ProcessBuilder(python.toString(), "-c", "import anndata").redirectErrorStream(true).start();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    static String python(String script, Path... files) throws Exception {
        String[] cmd = new String[3 + files.length];
        cmd[0] = "/usr/bin/python3";
        cmd[1] = "-c";
        cmd[2] = script;
        for (int i = 0; i < files.length; i++) {
            cmd[3 + i] = files[i].toString();
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    /** osmFISH cells [from, to) as an h5ad slide with obs columns, coordinates and one cell emptied. */
    static void writeSlide(Path file, CellDataset osm, TextTable xy, int from, int to, int emptied) throws IOException {
        int n = to - from;
        float[][] x = new float[n][osm.genes().length];
        float[][] coords = new float[n][2];
        String[] cells = new String[n];
        String[] half = new String[n];
        double[] xUm = new double[n];
        float[] row = new float[osm.genes().length];
        for (int i = 0; i < n; i++) {
            osm.counts().copyRow(from + i, row, 0);
            if (i != emptied) {
                System.arraycopy(row, 0, x[i], 0, row.length);
            }
            cells[i] = "osm" + (from + i);
            coords[i] = new float[]{xy.get(from + i, 0), xy.get(from + i, 1)};
            half[i] = coords[i][0] < 20000 ? "medial" : "lateral";
            xUm[i] = coords[i][0];
        }
        H5adWriter.write(file, new H5adWriter.Content(x, cells, osm.genes())
                .obs("half", ObsColumn.Categorical.of(half)).obs("x_um", xUm).obsm("spatial", coords));
    }

    @Test
    void trainOnceOnTwoSlidesThenImputeAThirdWithTheSavedModel(@TempDir Path dir) throws Exception {
        Path pair = sharedData().resolve(PAIR);
        Assumptions.assumeTrue(Files.exists(pair.resolve("Spatial_count.txt.gz")), "shared data not available: " + pair);
        Assumptions.assumeTrue(anndataAvailable(), "python3-anndata is not installed");
        CellDataset osm = DatasetReaders.read(pair.resolve("Spatial_count.txt.gz"));
        TextTable xy = DelimitedTextReader.read(pair.resolve("Locations.txt.gz"));
        int all = osm.counts().rows();
        Path a1 = dir.resolve("slideA1.h5ad");
        Path a2 = dir.resolve("slideA2.h5ad");
        Path b = dir.resolve("slideB.h5ad");
        writeSlide(a1, osm, xy, 0, 900, -1);
        writeSlide(a2, osm, xy, 900, 1800, -1);
        writeSlide(b, osm, xy, 1800, all, 7);
        Path model = dir.resolve("cortex.gimvi");
        Path seq = pair.resolve("scRNA_count.txt.gz");
        CliRunner.Result t = CliRunner.run("train", "--seq", seq.toString(), "--seq-orientation", "GENES_BY_CELLS",
                "--spatial", a1.toString(), "--spatial", a2.toString(), "--save-model", model.toString(),
                "--epochs", "3", "--seed", "1");
        assertEquals(0, t.code(), t.all());
        assertTrue(t.err().contains("training epoch 9/9") && t.err().contains("ETA"), t.err()); // 3 rounds of 3 epochs (the default)
        CliRunner.Result info = CliRunner.run("info", model.toString());
        assertTrue(info.out().contains("2 batch(es)"), "the two slides are batches of the spatial dataset: " + info.out());

        Path out = dir.resolve("slideB_imputed.h5ad");
        CliRunner.Result imp = CliRunner.run("impute", "--model", model.toString(), "--spatial", b.toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(0, imp.code(), imp.all());
        assertTrue(imp.err().isEmpty(), "--quiet: " + imp.err());
        CliRunner.Result ev = CliRunner.run("evaluate", "--truth", b.toString(), "--pred", out.toString());
        assertEquals(0, ev.code(), ev.all());
        assertTrue(ev.out().contains((all - 1800) + " cells, 33 genes scored"), ev.out());

        String check = "import anndata, sys, numpy as np\n"
                + "a = anndata.read_h5ad(sys.argv[1]); src = anndata.read_h5ad(sys.argv[2])\n"
                + "assert list(a.obs_names) == list(src.obs_names)\n"
                + "assert all(c in a.obs.columns for c in src.obs.columns)\n"
                + "assert (a.obs['half'] == src.obs['half']).all() and np.allclose(a.obs['x_um'], src.obs['x_um'])\n"
                + "assert np.allclose(a.obsm['spatial'], src.obsm['spatial'])\n"
                + "assert np.allclose(a.layers['counts'].toarray(), src.X)\n"
                + "assert not np.isnan(a.X).any()\n"
                + "print(a.n_obs, int((~a.obs['gimvi_used']).sum()), a.obs_names[~a.obs['gimvi_used'].values][0],"
                + " a.var['measured_in_spatial'].dtype, int(a.var['measured_in_spatial'].sum()),"
                + " type(a.uns['seed']).__name__, float(a.X[~a.obs['gimvi_used'].values].sum()))\n";
        assertEquals((all - 1800) + " 1 osm1807 bool 33 int64 0.0", python(check, out, b));
        CellDataset back = H5adReader.read(out);
        assertEquals(all - 1800, back.counts().rows());
    }

    @Test
    void oneShotImputeKeepsEmptyCellsSpatialOnlyGenesAndWritesTheReferenceLatent(@TempDir Path dir) throws Exception {
        assertEquals(0, CliRunner.run("simulate", "--out", dir.toString(), "--cells", "200").code());
        CellDataset sim = H5adReader.read(dir.resolve("spatial.h5ad"));
        int n = sim.counts().rows();
        int g = sim.genes().length;
        float[][] x = new float[n][g + 1];
        float[] row = new float[g];
        for (int i = 0; i < n; i++) {
            sim.counts().copyRow(i, row, 0);
            if (i != 3) { // cell 3 has no counts at all
                System.arraycopy(row, 0, x[i], 0, g);
                x[i][g] = i % 4;
            }
        }
        String[] genes = java.util.Arrays.copyOf(sim.genes(), g + 1);
        genes[g] = "NotInTheReference";
        Path slide = dir.resolve("slide.h5ad");
        H5adWriter.Content c = new H5adWriter.Content(x, sim.cells(), genes).obsm("spatial", sim.coordinates());
        sim.obs().forEach(c::obs);
        H5adWriter.write(slide, c);
        Path out = dir.resolve("imputed.h5ad");
        Path latent = dir.resolve("reference_latent.h5ad");
        CliRunner.Result r = CliRunner.run("impute", "--seq", dir.resolve("seq.h5ad").toString(), "--spatial",
                slide.toString(), "--out", out.toString(), "--write-reference-latent", latent.toString(),
                "--epochs", "3", "--members", "1");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("spatial cells " + (n - 1) + " of " + n + " kept"), r.out());
        CellDataset d = H5adReader.read(out);
        assertEquals(n, d.counts().rows(), "every input cell is in the output");
        assertEquals(151, d.genes().length, "150 reference genes + the spatial-only one");
        assertEquals("NotInTheReference", d.genes()[150]);
        assertTrue(d.obs().keySet().containsAll(sim.obs().keySet()), d.obs().keySet() + " vs " + sim.obs().keySet());
        CellDataset z = H5adReader.read(latent);
        assertEquals(H5adReader.read(dir.resolve("seq.h5ad")).counts().rows(), z.counts().rows());
        if (anndataAvailable()) {
            String check = "import anndata, sys, numpy as np\n"
                    + "a = anndata.read_h5ad(sys.argv[1]); z = anndata.read_h5ad(sys.argv[2])\n"
                    + "print(bool(a.obs['gimvi_used'].iloc[3]), int(a.obs['gimvi_used'].sum()),"
                    + " bool(a.var['in_reference'].iloc[-1]), bool(a.var['measured_in_spatial'].iloc[-1]),"
                    + " float(a.layers['counts'][5, -1]), int(a.uns['epochs']), z.X.shape[1], 'X' in a.uns)\n";
            assertEquals("False " + (n - 1) + " False True 1.0 3 10 True", python(check, out, latent));
        }
    }

    /**
     * The Drosophila whole-transcriptome reference holds names equal ignoring case ("h" and "H",
     * "RpL37a" and "RpL37A"): the default rule matches the atlas's genes exactly first and the model
     * accepts the reference (it was refused as "duplicate gene names" before).
     */
    @Test
    void aReferenceWhoseNamesCollideIgnoringCaseIsAccepted() {
        Path d = sharedData().resolve("Drosophila_embryo_BDTNP_Karaiskos2017");
        Assumptions.assumeTrue(Files.exists(d.resolve("dge_raw.txt.gz")), "shared data not available: " + d);
        CellDataset ref = DatasetReaders.read(d.resolve("dge_raw.txt.gz"), DatasetReaders.Orientation.GENES_BY_CELLS);
        CellDataset atlas = DatasetReaders.read(d.resolve("bdtnp.txt.gz"), DatasetReaders.Orientation.CELLS_BY_GENES);
        org.gimvi.model.data.SharedPanel panel = org.gimvi.model.data.SharedPanel.match(atlas.genes(), ref.genes(),
                "bdtnp", "dge_raw");
        assertEquals(84, panel.size(), panel.summary());
        int h = java.util.Arrays.asList(atlas.genes()).indexOf("h");
        assertEquals("h", ref.genes()[panel.referenceColumns()[h]], "'h' is matched to 'h', not to 'H'");
        org.gimvi.model.gimvi.Gimvi model = org.gimvi.model.gimvi.Gimvi.create(java.util.List.of(
                org.gimvi.model.gimvi.Gimvi.DatasetInput.of("scRNA-seq", ref.counts(), ref.genes(),
                        org.gimvi.model.gimvi.Likelihood.ZINB, org.gimvi.model.gimvi.Library.LATENT),
                org.gimvi.model.gimvi.Gimvi.DatasetInput.of("spatial", atlas.counts(), atlas.genes(),
                        org.gimvi.model.gimvi.Likelihood.GAUSSIAN, org.gimvi.model.gimvi.Library.OBSERVED)),
                org.gimvi.model.gimvi.GimviOptions.defaults());
        assertEquals(ref.genes().length, model.outputGenes().length);
    }
}

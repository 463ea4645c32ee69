package org.gimvi.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.ObsColumn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by {@link H5adWriter} read back identically with {@link H5adReader}, and open in the
 * real anndata (Debian's python3-anndata at /usr/bin/python3; the check is skipped where it is not
 * installed — .ci/run installs it).
 */
class H5adWriterTest {

    private static H5adWriter.Content sample() {
        float[][] x = {{0f, 1.5f, 2f}, {3f, 0f, 4.25f}};
        return new H5adWriter.Content(x, new String[]{"cellA", "cellB"}, new String[]{"Gad2", "Lamp5", "Ttr"})
                .obs("library", new double[]{3.5, 7.25})
                .var("measured", new double[]{1, 0, 1})
                .obsm("X_gimvi", new float[][]{{0.1f, 0.2f}, {0.3f, 0.4f}})
                .obsm("spatial", new float[][]{{10f, 20f}, {30f, 40f}})
                .uns("method", "gimvi");
    }

    /** Booleans, categoricals, layers and typed uns as anndata itself writes them. */
    private static H5adWriter.Content typed() {
        return sample()
                .obs("used", new boolean[]{true, false})
                .obs("cell_type", ObsColumn.Categorical.of(new String[]{"Astro", "Oligo"}))
                .var("measured_in_spatial", new boolean[]{true, false, true})
                .layer("counts", new float[][]{{0f, 0f, 2f}, {3f, 0f, 4f}})
                .uns("epochs", 30L).uns("kappa", 5.0).uns("trained", true);
    }

    @Test
    void typedContentOpensInAnndataWithItsTypes(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import anndata").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3-anndata is not installed (apt-get install python3-anndata)");
        Path f = dir.resolve("typed.h5ad");
        H5adWriter.write(f, typed());
        String script = "import anndata, sys\n"
                + "a = anndata.read_h5ad(sys.argv[1])\n"
                + "print(a.obs['used'].dtype, list(a.obs['used']), a.obs['cell_type'].dtype, list(a.obs['cell_type']),"
                + " a.var['measured_in_spatial'].dtype, a.layers['counts'][1, 0], type(a.uns['epochs']).__name__,"
                + " int(a.uns['epochs']), float(a.uns['kappa']), bool(a.uns['trained']), type(a.uns['method']).__name__)\n";
        Process p = new ProcessBuilder(python.toString(), "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "anndata did not finish");
        assertEquals(0, p.exitValue(), "anndata failed to read the file:\n" + out);
        String last = out.substring(out.lastIndexOf('\n') + 1);
        assertEquals("bool [True, False] category ['Astro', 'Oligo'] bool 3.0 int64 30 5.0 True str", last, out);
        CellDataset d = H5adReader.read(f);
        assertEquals("Oligo", ((ObsColumn.Categorical) d.obs().get("cell_type")).value(1));
    }

    @Test
    void roundTripThroughOurReader(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("out.h5ad");
        H5adWriter.write(f, sample());
        CellDataset d = H5adReader.read(f);
        assertArrayEquals(new String[]{"cellA", "cellB"}, d.cells());
        assertArrayEquals(new String[]{"Gad2", "Lamp5", "Ttr"}, d.genes());
        assertEquals(4.25f, d.counts().get(1, 2));
        assertEquals(7.25, ((ObsColumn.Numeric) d.obs().get("library")).values()[1]);
        assertEquals(30f, d.coordinates()[1][0]);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void realAnndataOpensIt(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import anndata").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3-anndata is not installed (apt-get install python3-anndata)");
        Path f = dir.resolve("out.h5ad");
        H5adWriter.write(f, sample());
        String script = "import anndata, sys\n"
                + "a = anndata.read_h5ad(sys.argv[1])\n"
                + "print(a.shape[0], a.shape[1], ','.join(a.obs_names), ','.join(a.var_names), a.X[1, 2],"
                + " float(a.obs['library'][1]), float(a.var['measured'][1]), a.obsm['X_gimvi'].shape[1],"
                + " float(a.obsm['spatial'][1, 0]), a.uns['method'])\n";
        Process p = new ProcessBuilder(python.toString(), "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "anndata did not finish");
        assertEquals(0, p.exitValue(), "anndata failed to read the file:\n" + out);
        String last = out.substring(out.lastIndexOf('\n') + 1);
        assertEquals("2 3 cellA,cellB Gad2,Lamp5,Ttr 4.25 7.25 0.0 2 30.0 gimvi", last, out);

        // sparse X (csr_matrix): anndata sees a scipy sparse matrix with the same values
        Path sparse = dir.resolve("sparse.h5ad");
        org.gimvi.engine.matrix.CsrMatrix csr = new org.gimvi.engine.matrix.CsrMatrix(2, 3, new int[]{0, 1, 3},
                new int[]{1, 0, 2}, new float[]{1.5f, 3f, 4.25f});
        H5adWriter.write(sparse, new H5adWriter.Content(csr, new String[]{"c1", "c2"}, new String[]{"g1", "g2", "g3"}));
        String check = "import anndata, sys, scipy.sparse as sp\n"
                + "a = anndata.read_h5ad(sys.argv[1])\n"
                + "print(sp.issparse(a.X), a.X.nnz, a.X.toarray().tolist())\n";
        Process q = new ProcessBuilder(python.toString(), "-c", check, sparse.toString()).redirectErrorStream(true).start();
        String qo = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(q.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, q.exitValue(), qo);
        assertEquals("True 3 [[0.0, 1.5, 0.0], [3.0, 0.0, 4.25]]", qo.substring(qo.lastIndexOf('\n') + 1), qo);
        assertEquals(4.25f, H5adReader.read(sparse).counts().get(1, 2));
    }
}

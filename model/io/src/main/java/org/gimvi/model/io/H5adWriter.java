package org.gimvi.model.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes AnnData {@code .h5ad} files (on-disk format 0.1/0.2 of anndata ≥ 0.8) that scanpy and
 * anndata open directly: a dense {@code X}, {@code obs}/{@code var} dataframes with their index and
 * numeric columns, {@code obsm} matrices (latent space, coordinates), and string entries in
 * {@code uns} (run parameters). The file is written beside the target and renamed into place.
 *
 * <p>Every dataframe gets at least one column because jhdf cannot write the empty
 * {@code column-order} attribute an empty dataframe needs, and empty groups are left out (jhdf 0.13
 * cannot write them readably).
 */
public final class H5adWriter {
    private H5adWriter() {
    }

    /** What to write. Columns and matrices are written in insertion order. */
    public static final class Content {
        final float[][] x;
        final org.gimvi.engine.matrix.CsrMatrix sparseX; // when X is sparse (then x is null)
        final String[] cells;
        final String[] genes;
        final Map<String, double[]> obs = new LinkedHashMap<>();
        final Map<String, double[]> var = new LinkedHashMap<>();
        final Map<String, float[][]> obsm = new LinkedHashMap<>();
        final Map<String, String> uns = new LinkedHashMap<>();

        /** @param x cells × genes */
        public Content(float[][] x, String[] cells, String[] genes) {
            if (x.length != cells.length || (x.length > 0 && x[0].length != genes.length)) {
                throw new IllegalArgumentException("h5ad: X is " + x.length + "×" + (x.length == 0 ? 0 : x[0].length)
                        + " but there are " + cells.length + " cells and " + genes.length + " genes");
            }
            this.x = x;
            this.sparseX = null;
            this.cells = cells;
            this.genes = genes;
        }

        /** @param x cells × genes (e.g. a model's imputed values) */
        public Content(org.ejml.data.FMatrixRMaj x, String[] cells, String[] genes) {
            this(rows(x), cells, genes);
        }

        private static float[][] rows(org.ejml.data.FMatrixRMaj x) {
            float[][] out = new float[x.numRows][x.numCols];
            for (int i = 0; i < x.numRows; i++) {
                System.arraycopy(x.data, i * x.numCols, out[i], 0, x.numCols);
            }
            return out;
        }

        /** A sparse X, written as AnnData's csr_matrix. */
        public Content(org.gimvi.engine.matrix.CsrMatrix x, String[] cells, String[] genes) {
            if (x.rows() != cells.length || x.cols() != genes.length) {
                throw new IllegalArgumentException("h5ad: X is " + x.rows() + "×" + x.cols() + " but there are "
                        + cells.length + " cells and " + genes.length + " genes");
            }
            this.x = null;
            this.sparseX = x;
            this.cells = cells;
            this.genes = genes;
        }

        public Content obs(String name, double[] values) {
            obs.put(name, values);
            return this;
        }

        public Content var(String name, double[] values) {
            var.put(name, values);
            return this;
        }

        public Content obsm(String name, float[][] values) {
            obsm.put(name, values);
            return this;
        }

        public Content uns(String name, String value) {
            uns.put(name, value);
            return this;
        }
    }

    public static void write(Path target, Content c) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (WritableHdfFile f = HdfFile.write(tmp)) {
                encoding(f, "anndata", "0.1.0");
                if (c.sparseX != null) {
                    WritableGroup xg = f.putGroup("X");
                    encoding(xg, "csr_matrix", "0.1.0");
                    xg.putAttribute("shape", new long[]{c.sparseX.rows(), c.sparseX.cols()});
                    xg.putDataset("data", c.sparseX.values());
                    xg.putDataset("indices", c.sparseX.indices());
                    xg.putDataset("indptr", c.sparseX.indptr());
                } else {
                    encoding(f.putDataset("X", c.x), "array", "0.2.0");
                }
                dataframe(f.putGroup("obs"), c.cells, c.obs, "n_genes_measured", c.genes.length);
                dataframe(f.putGroup("var"), c.genes, c.var, "index_in_output", -1);
                // jhdf 0.13 writes an unreadable file when a group has no children, so optional
                // groups (obsm, uns; layers, obsp, varm, varp) are written only when non-empty;
                // anndata treats missing ones as empty
                if (!c.obsm.isEmpty()) {
                    WritableGroup obsm = f.putGroup("obsm");
                    encoding(obsm, "dict", "0.1.0");
                    for (Map.Entry<String, float[][]> e : c.obsm.entrySet()) {
                        encoding(obsm.putDataset(e.getKey(), e.getValue()), "array", "0.2.0");
                    }
                }
                if (!c.uns.isEmpty()) {
                    WritableGroup uns = f.putGroup("uns");
                    encoding(uns, "dict", "0.1.0");
                    for (Map.Entry<String, String> e : c.uns.entrySet()) {
                        encoding(uns.putDataset(e.getKey(), new String[]{e.getValue()}), "string-array", "0.2.0");
                    }
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void encoding(WritableNode n, String type, String version) {
        n.putAttribute("encoding-type", type);
        n.putAttribute("encoding-version", version);
    }

    private static void dataframe(WritableGroup g, String[] index, Map<String, double[]> columns, String fallbackName,
                                  double fallbackValue) {
        Map<String, double[]> cols = new LinkedHashMap<>(columns);
        if (cols.isEmpty()) {
            double[] v = new double[index.length];
            if (fallbackValue >= 0) {
                java.util.Arrays.fill(v, fallbackValue);
            } else {
                for (int i = 0; i < v.length; i++) {
                    v[i] = i;
                }
            }
            cols.put(fallbackName, v);
        }
        encoding(g, "dataframe", "0.2.0");
        g.putAttribute("_index", "_index");
        g.putAttribute("column-order", cols.keySet().toArray(new String[0]));
        encoding(g.putDataset("_index", index), "string-array", "0.2.0");
        for (Map.Entry<String, double[]> e : cols.entrySet()) {
            if (e.getValue().length != index.length) { // checked before anything is written
                throw new IllegalArgumentException("h5ad: column '" + e.getKey() + "' has " + e.getValue().length
                        + " values for " + index.length + " rows");
            }
            encoding(g.putDataset(e.getKey(), e.getValue()), "array", "0.2.0");
        }
    }
}

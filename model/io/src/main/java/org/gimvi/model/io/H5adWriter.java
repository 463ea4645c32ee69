package org.gimvi.model.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.data.ObsColumn;

/**
 * Writes AnnData {@code .h5ad} files (on-disk format 0.1/0.2 of anndata ≥ 0.8) that scanpy and
 * anndata open directly: a dense or CSR {@code X}, {@code layers} (e.g. the measured counts),
 * {@code obs}/{@code var} dataframes with their index and numeric, boolean and categorical columns,
 * {@code obsm} matrices (latent space, coordinates), and typed {@code uns} entries (strings,
 * integers, floats, booleans). The file is written beside the target and renamed into place.
 *
 * <p>A CSR {@code X} given as a {@link CsrRowStream} is written in bounded memory: jhdf writes the
 * file with one-element placeholders and {@link Hdf5StreamedCsr} streams the arrays in (so is a
 * sparse matrix without entries, which jhdf alone cannot write).
 *
 * <p>Every dataframe gets at least one column because jhdf cannot write the empty
 * {@code column-order} attribute an empty dataframe needs, and empty groups are left out (jhdf 0.13
 * cannot write them readably).
 */
public final class H5adWriter {
    private H5adWriter() {
    }

    /** A dataframe column. */
    private sealed interface Column permits Numbers, Booleans, Categories {
        int size();
    }

    private record Numbers(double[] values) implements Column {
        public int size() {
            return values.length;
        }
    }

    private record Booleans(boolean[] values) implements Column {
        public int size() {
            return values.length;
        }
    }

    private record Categories(ObsColumn.Categorical values) implements Column {
        public int size() {
            return values.size();
        }
    }

    /** A matrix: dense rows, CSR in memory, or CSR rows streamed in bounded memory. */
    private record Matrix(float[][] dense, CsrMatrix sparse, CsrRowStream streamed) {
        Matrix(float[][] dense, CsrMatrix sparse) {
            this(dense, sparse, null);
        }

        int rows() {
            return dense != null ? dense.length : sparse != null ? sparse.rows() : streamed.rows();
        }

        int cols(int fallback) {
            return dense != null ? (dense.length == 0 ? fallback : dense[0].length)
                    : sparse != null ? sparse.cols() : streamed.cols();
        }

        /**
         * The rows to stream into placeholders after jhdf has written the file, or null: streamed
         * rows, and an in-memory CSR matrix without entries (jhdf cannot write an empty array).
         */
        CsrRowStream rowsToStream() {
            if (streamed != null) {
                return streamed;
            }
            return sparse != null && sparse.nonZeros() == 0 ? CsrRowStream.of(sparse) : null;
        }
    }

    /** What to write. Columns, layers and matrices are written in insertion order. */
    public static final class Content {
        final Matrix x;
        final String[] cells;
        final String[] genes;
        final Map<String, Column> obs = new LinkedHashMap<>();
        final Map<String, Column> var = new LinkedHashMap<>();
        final Map<String, Matrix> layers = new LinkedHashMap<>();
        final Map<String, float[][]> obsm = new LinkedHashMap<>();
        final Map<String, Object> uns = new LinkedHashMap<>();

        /** @param x cells × genes */
        public Content(float[][] x, String[] cells, String[] genes) {
            this(new Matrix(x, null), cells, genes);
        }

        /** @param x cells × genes (e.g. a model's imputed values) */
        public Content(org.ejml.data.FMatrixRMaj x, String[] cells, String[] genes) {
            this(rows(x), cells, genes);
        }

        /** A sparse X, written as AnnData's csr_matrix. */
        public Content(CsrMatrix x, String[] cells, String[] genes) {
            this(new Matrix(null, x), cells, genes);
        }

        /**
         * A sparse X whose rows are produced twice while writing (see {@link CsrRowStream}), so its
         * arrays are never held: memory is bounded by the rows and the write buffers, not by the
         * non-zeros.
         */
        public Content(CsrRowStream x, String[] cells, String[] genes) {
            this(new Matrix(null, null, x), cells, genes);
        }

        private Content(Matrix x, String[] cells, String[] genes) {
            checkShape("X", x, cells.length, genes.length);
            this.x = x;
            this.cells = cells;
            this.genes = genes;
        }

        private static void checkShape(String what, Matrix m, int cells, int genes) {
            if (m.rows() != cells || m.cols(genes) != genes) {
                throw new IllegalArgumentException("h5ad: " + what + " is " + m.rows() + "×" + m.cols(genes)
                        + " but there are " + cells + " cells and " + genes + " genes");
            }
        }

        private static float[][] rows(org.ejml.data.FMatrixRMaj x) {
            float[][] out = new float[x.numRows][x.numCols];
            for (int i = 0; i < x.numRows; i++) {
                System.arraycopy(x.data, i * x.numCols, out[i], 0, x.numCols);
            }
            return out;
        }

        public Content obs(String name, double[] values) {
            return put(obs, name, new Numbers(values), cells.length);
        }

        public Content obs(String name, boolean[] values) {
            return put(obs, name, new Booleans(values), cells.length);
        }

        /** An input obs column as it was: numeric, or categorical with its categories. */
        public Content obs(String name, ObsColumn values) {
            return put(obs, name, values instanceof ObsColumn.Categorical c ? new Categories(c)
                    : new Numbers(((ObsColumn.Numeric) values).values()), cells.length);
        }

        public Content var(String name, double[] values) {
            return put(var, name, new Numbers(values), genes.length);
        }

        public Content var(String name, boolean[] values) {
            return put(var, name, new Booleans(values), genes.length);
        }

        /** A cells × genes layer (same shape as X). */
        public Content layer(String name, float[][] values) {
            Matrix m = new Matrix(values, null);
            checkShape("layer '" + name + "'", m, cells.length, genes.length);
            layers.put(name, m);
            return this;
        }

        public Content layer(String name, CsrMatrix values) {
            Matrix m = new Matrix(null, values);
            checkShape("layer '" + name + "'", m, cells.length, genes.length);
            layers.put(name, m);
            return this;
        }

        public Content obsm(String name, float[][] values) {
            if (values.length != cells.length) {
                throw new IllegalArgumentException("h5ad: obsm '" + name + "' has " + values.length + " rows for "
                        + cells.length + " cells");
            }
            obsm.put(name, values);
            return this;
        }

        public Content uns(String name, String value) {
            uns.put(name, value);
            return this;
        }

        public Content uns(String name, long value) {
            uns.put(name, value);
            return this;
        }

        public Content uns(String name, double value) {
            uns.put(name, value);
            return this;
        }

        public Content uns(String name, boolean value) {
            uns.put(name, value);
            return this;
        }

        private Content put(Map<String, Column> frame, String name, Column c, int rows) {
            if (c.size() != rows) {
                throw new IllegalArgumentException("h5ad: column '" + name + "' has " + c.size() + " values for "
                        + rows + " rows");
            }
            frame.put(name, c);
            return this;
        }
    }

    public static void write(Path target, Content c) throws IOException {
        AtomicFiles.writeVia(target, tmp -> {
            Map<String, CsrRowStream> streamed = new LinkedHashMap<>();
            try (WritableHdfFile f = HdfFile.write(tmp)) {
                encoding(f, "anndata", "0.1.0");
                matrix(f, "X", "X", c.x, streamed);
                dataframe(f.putGroup("obs"), c.cells, c.obs, "n_genes_measured", c.genes.length);
                dataframe(f.putGroup("var"), c.genes, c.var, "index_in_output", -1);
                // jhdf 0.13 writes an unreadable file when a group has no children, so optional
                // groups (layers, obsm, uns; obsp, varm, varp) are written only when non-empty;
                // anndata treats missing ones as empty
                if (!c.layers.isEmpty()) {
                    WritableGroup layers = f.putGroup("layers");
                    encoding(layers, "dict", "0.1.0");
                    for (Map.Entry<String, Matrix> e : c.layers.entrySet()) {
                        matrix(layers, e.getKey(), "layers/" + e.getKey(), e.getValue(), streamed);
                    }
                }
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
                    for (Map.Entry<String, Object> e : c.uns.entrySet()) {
                        unsValue(uns, e.getKey(), e.getValue());
                    }
                }
            }
            for (Map.Entry<String, CsrRowStream> e : streamed.entrySet()) {
                Hdf5StreamedCsr.fill(tmp, e.getKey(), e.getValue());
            }
        });
    }

    private static void matrix(WritableGroup parent, String name, String path, Matrix m,
                               Map<String, CsrRowStream> streamed) {
        CsrRowStream rows = m.rowsToStream();
        if (rows != null) {
            // one-element placeholders, filled and resized in place once jhdf has written the file
            WritableGroup g = parent.putGroup(name);
            encoding(g, "csr_matrix", "0.1.0");
            g.putAttribute("shape", new long[]{rows.rows(), rows.cols()});
            g.putDataset("data", new float[1]);
            g.putDataset("indices", new int[1]);
            g.putDataset("indptr", new long[1]);
            streamed.put(path, rows);
        } else if (m.sparse() != null) {
            WritableGroup g = parent.putGroup(name);
            encoding(g, "csr_matrix", "0.1.0");
            g.putAttribute("shape", new long[]{m.sparse().rows(), m.sparse().cols()});
            g.putDataset("data", m.sparse().values());
            g.putDataset("indices", m.sparse().indices());
            g.putDataset("indptr", m.sparse().indptr());
        } else {
            encoding(parent.putDataset(name, m.dense()), "array", "0.2.0");
        }
    }

    /** Scalars as anndata writes them: "string" and "numeric-scalar" (booleans are numeric scalars too). */
    private static void unsValue(WritableGroup uns, String name, Object v) {
        if (v instanceof String s) {
            encoding(uns.putDataset(name, s), "string", "0.2.0");
        } else if (v instanceof Boolean b) {
            encoding(Hdf5Booleans.putScalar(uns, name, b), "numeric-scalar", "0.2.0");
        } else {
            encoding(uns.putDataset(name, v), "numeric-scalar", "0.2.0");
        }
    }

    private static void encoding(WritableNode n, String type, String version) {
        n.putAttribute("encoding-type", type);
        n.putAttribute("encoding-version", version);
    }

    private static void dataframe(WritableGroup g, String[] index, Map<String, Column> columns, String fallbackName,
                                  double fallbackValue) {
        Map<String, Column> cols = new LinkedHashMap<>(columns);
        if (cols.isEmpty()) {
            double[] v = new double[index.length];
            if (fallbackValue >= 0) {
                java.util.Arrays.fill(v, fallbackValue);
            } else {
                for (int i = 0; i < v.length; i++) {
                    v[i] = i;
                }
            }
            cols.put(fallbackName, new Numbers(v));
        }
        encoding(g, "dataframe", "0.2.0");
        g.putAttribute("_index", "_index");
        g.putAttribute("column-order", cols.keySet().toArray(new String[0]));
        encoding(g.putDataset("_index", index), "string-array", "0.2.0");
        for (Map.Entry<String, Column> e : cols.entrySet()) {
            Column col = e.getValue();
            if (col instanceof Numbers n) {
                encoding(g.putDataset(e.getKey(), n.values()), "array", "0.2.0");
            } else if (col instanceof Booleans b) {
                encoding(Hdf5Booleans.put(g, e.getKey(), b.values()), "array", "0.2.0");
            } else {
                categorical(g.putGroup(e.getKey()), ((Categories) col).values());
            }
        }
    }

    private static void categorical(WritableGroup g, ObsColumn.Categorical c) {
        encoding(g, "categorical", "0.2.0");
        Hdf5Booleans.putAttribute(g, "ordered", false);
        encoding(g.putDataset("categories", c.categories()), "string-array", "0.2.0");
        encoding(g.putDataset("codes", c.codes()), "array", "0.2.0");
    }
}

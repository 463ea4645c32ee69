package org.gimvi.model.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.gimvi.model.data.CellDataset;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.ObsColumn;

/**
 * Reads AnnData {@code .h5ad} files (the on-disk format of anndata ≥ 0.7): the matrix from {@code X},
 * a layer or {@code raw/X}, dense or CSR/CSC; {@code obs}/{@code var} dataframes (index, numeric
 * columns, string columns and categoricals); spatial coordinates from {@code obsm} (a named key,
 * {@code spatial} by default) or from obs columns named x/y.
 */
public final class H5adReader {
    private H5adReader() {
    }

    /** What to read. {@code matrix}: "X" (default), "raw" for raw/X, or a layer name. */
    public record Options(String matrix, String geneColumn, String spatialKey) {
        public static Options defaults() {
            return new Options("X", null, "spatial");
        }
    }

    public static CellDataset read(Path file) {
        return read(file, Options.defaults());
    }

    public static CellDataset read(Path file, Options options) {
        if (!Files.isRegularFile(file)) {
            throw new InputFormatException(file, "file not found");
        }
        try (HdfFile hdf = new HdfFile(file)) {
            String m = options.matrix() == null ? "X" : options.matrix();
            String matrixPath;
            String varPath = "var";
            if (m.equals("X")) {
                matrixPath = "X";
            } else if (m.equals("raw")) {
                matrixPath = "raw/X";
                varPath = "raw/var";
            } else {
                matrixPath = "layers/" + m;
            }
            Node xNode = child(hdf, matrixPath);
            if (xNode == null) {
                throw new InputFormatException(file, "has no '" + matrixPath + "'" + (m.equals("X") ? "" : "; choose X, raw or an existing layer"));
            }
            CountMatrix counts = matrix(file, xNode);
            String[] cells = index(file, hdf, "obs", counts.rows());
            String[] genes = options.geneColumn() == null ? index(file, hdf, varPath, counts.cols())
                    : stringColumn(file, hdf, varPath, options.geneColumn(), counts.cols());
            Map<String, ObsColumn> obs = columns(file, hdf, "obs", counts.rows());
            float[][] coords = coordinates(file, hdf, options.spatialKey(), obs, counts.rows());
            return new CellDataset(file.getFileName().toString(), "h5ad", counts, genes, cells, obs, coords);
        } catch (InputFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputFormatException(file, "cannot be read as HDF5/AnnData (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is it a complete .h5ad file?");
        }
    }

    /**
     * A reference that stays on disk: the matrix as an {@link H5adCellSource} (CSR only; read in
     * blocks of {@code blockRows} rows), with the cell names, gene names (the var index or
     * {@code options.geneColumn()}) and obs columns read as {@link #read} reads them; no
     * coordinates. The caller closes the source ({@code (H5adCellSource) dataset.counts()}).
     */
    public static CellDataset stream(Path file, Options options, int blockRows) {
        String m = options.matrix() == null ? "X" : options.matrix();
        H5adCellSource source = H5adCellSource.open(file, m, blockRows);
        try (HdfFile hdf = new HdfFile(file)) {
            String varPath = m.equals("raw") ? "raw/var" : "var";
            String[] cells = index(file, hdf, "obs", source.rows());
            String[] genes = options.geneColumn() == null ? source.genes()
                    : stringColumn(file, hdf, varPath, options.geneColumn(), source.cols());
            Map<String, ObsColumn> obs = columns(file, hdf, "obs", source.rows());
            return new CellDataset(file.getFileName().toString(), "h5ad, streamed", source, genes, cells, obs, null);
        } catch (RuntimeException e) {
            source.close();
            if (e instanceof InputFormatException) {
                throw e;
            }
            throw new InputFormatException(file, "cannot be read as HDF5/AnnData (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is it a complete .h5ad file?");
        }
    }

    /** The matrices besides X that {@link Options#matrix()} can name: each layer, and "raw" when raw/X exists. */
    public static java.util.List<String> otherMatrices(Path file) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (HdfFile hdf = new HdfFile(file)) {
            if (child(hdf, "layers") instanceof Group layers) {
                for (Node n : layers) {
                    out.add(n.getName());
                }
            }
            if (child(hdf, "raw/X") != null) {
                out.add("raw");
            }
        } catch (RuntimeException e) {
            throw new InputFormatException(file, "cannot be read as HDF5/AnnData (" + e.getMessage() + ")");
        }
        return out;
    }

    static Node child(Group g, String path) {
        Node n = g;
        for (String part : path.split("/")) {
            if (!(n instanceof Group gg)) {
                return null;
            }
            n = gg.getChildren().get(part);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private static CountMatrix matrix(Path file, Node x) {
        if (x instanceof Dataset d) {
            int[] dims = d.getDimensions();
            if (dims.length != 2) {
                throw new InputFormatException(file, "'" + d.getPath() + "' is " + dims.length + "-dimensional; expected cells × genes");
            }
            return new DenseCountMatrix(dims[0], dims[1], Hdf5Arrays.floats(file, d));
        }
        Group g = (Group) x;
        String type = Hdf5Arrays.attribute(g, "encoding-type");
        if (type == null) {
            type = Hdf5Arrays.attribute(g, "h5sparse_format") + "_matrix";
        }
        Node shapeAttrNode = g;
        Object shape = shapeAttrNode.getAttribute("shape") == null ? null : shapeAttrNode.getAttribute("shape").getData();
        if (shape == null && g.getAttribute("h5sparse_shape") != null) {
            shape = g.getAttribute("h5sparse_shape").getData();
        }
        if (shape == null) {
            throw new InputFormatException(file, "sparse matrix '" + g.getPath() + "' has no 'shape' attribute");
        }
        long[] s = shape instanceof long[] l ? l : toLongs(shape);
        int rows = Math.toIntExact(s[0]);
        int cols = Math.toIntExact(s[1]);
        float[] data = Hdf5Arrays.floats(file, dataset(file, g, "data"));
        int[] indices = Hdf5Arrays.ints(file, dataset(file, g, "indices"));
        int[] indptr = Hdf5Arrays.ints(file, dataset(file, g, "indptr"));
        switch (type.toLowerCase(Locale.ROOT)) {
            case "csr_matrix":
                return new CsrMatrix(rows, cols, indptr, indices, data);
            case "csc_matrix":
                return CsrMatrix.fromCsc(rows, cols, indptr, indices, data);
            default:
                throw new InputFormatException(file, "'" + g.getPath() + "' has encoding '" + type
                        + "'; supported: dense arrays, csr_matrix, csc_matrix");
        }
    }

    private static long[] toLongs(Object o) {
        if (o instanceof int[] a) {
            return new long[]{a[0], a[1]};
        }
        if (o instanceof Object[] a) {
            return new long[]{((Number) a[0]).longValue(), ((Number) a[1]).longValue()};
        }
        throw new IllegalArgumentException("unrecognised shape attribute " + o);
    }

    private static Dataset dataset(Path file, Group g, String name) {
        Node n = g.getChildren().get(name);
        if (!(n instanceof Dataset d)) {
            throw new InputFormatException(file, "'" + g.getPath() + "' has no '" + name + "' dataset");
        }
        return d;
    }

    /** The dataframe's index (cell or gene names); generated when absent. */
    static String[] index(Path file, HdfFile hdf, String frame, int expected) {
        Node g = child(hdf, frame);
        if (!(g instanceof Group group)) {
            return generated(frame.endsWith("obs") ? "cell" : "gene", expected);
        }
        String indexName = Hdf5Arrays.attribute(group, "_index");
        Node idx = group.getChildren().get(indexName == null ? "_index" : indexName);
        if (!(idx instanceof Dataset d)) {
            idx = group.getChildren().get("index");
        }
        if (!(idx instanceof Dataset d2)) {
            return generated(frame.endsWith("obs") ? "cell" : "gene", expected);
        }
        String[] names = Hdf5Arrays.strings(file, d2);
        if (names.length != expected) {
            throw new InputFormatException(file, "'" + frame + "' has " + names.length + " names for " + expected + " rows of the matrix");
        }
        return names;
    }

    private static String[] stringColumn(Path file, HdfFile hdf, String frame, String column, int expected) {
        Map<String, ObsColumn> cols = columns(file, hdf, frame, expected);
        ObsColumn c = cols.get(column);
        if (c == null) {
            throw new InputFormatException(file, "'" + frame + "' has no column '" + column + "'; available: " + cols.keySet());
        }
        String[] out = new String[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = c instanceof ObsColumn.Categorical cat ? cat.value(i) : Double.toString(((ObsColumn.Numeric) c).values()[i]);
        }
        return out;
    }

    static String[] generated(String prefix, int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = prefix + (i + 1);
        }
        return s;
    }

    private static Map<String, ObsColumn> columns(Path file, HdfFile hdf, String frame, int rows) {
        Map<String, ObsColumn> out = new LinkedHashMap<>();
        Node g = child(hdf, frame);
        if (!(g instanceof Group group)) {
            return out;
        }
        String indexName = Hdf5Arrays.attribute(group, "_index");
        for (Node n : group) {
            String name = n.getName();
            if (name.equals(indexName) || name.equals("_index") || name.equals("__categories")) {
                continue;
            }
            if (n instanceof Dataset d) {
                if (d.getDimensions().length != 1 || d.getDimensions()[0] != rows) {
                    continue;
                }
                if (d.getJavaType() == String.class || d.getJavaType() == Object.class) {
                    out.put(name, ObsColumn.Categorical.of(Hdf5Arrays.strings(file, d)));
                } else {
                    out.put(name, new ObsColumn.Numeric(Hdf5Arrays.doubles(file, d)));
                }
            } else if (n instanceof Group cg && "categorical".equals(Hdf5Arrays.attribute(cg, "encoding-type"))) {
                String[] categories = Hdf5Arrays.strings(file, dataset(file, cg, "categories"));
                int[] codes = Hdf5Arrays.ints(file, dataset(file, cg, "codes"));
                out.put(name, new ObsColumn.Categorical(categories, codes));
            }
        }
        return out;
    }

    private static float[][] coordinates(Path file, HdfFile hdf, String key, Map<String, ObsColumn> obs, int rows) {
        Node n = key == null ? null : child(hdf, "obsm/" + key);
        if (n instanceof Dataset d && d.getDimensions().length == 2 && d.getDimensions()[0] == rows) {
            int dims = d.getDimensions()[1];
            double[] v = Hdf5Arrays.doubles(file, d);
            float[][] out = new float[rows][dims];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < dims; j++) {
                    out[i][j] = (float) v[i * dims + j];
                }
            }
            return out;
        }
        return LoomReader.xyFromColumns(obs, rows);
    }
}

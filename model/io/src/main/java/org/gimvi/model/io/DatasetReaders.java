package org.gimvi.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.CountValues;
import org.gimvi.engine.matrix.DenseCountMatrix;

/**
 * Opens any supported input as a {@link CellDataset}, detecting the format from the file's content
 * (HDF5 signature) and name: AnnData {@code .h5ad}, loom, or delimited text (comma/tab, optionally
 * gzipped) in either orientation.
 */
public final class DatasetReaders {
    private DatasetReaders() {
    }

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** Orientation of a delimited text table. */
    public enum Orientation { CELLS_BY_GENES, GENES_BY_CELLS, AUTO }

    /**
     * How to read one input.
     *
     * @param orientation text tables only
     * @param geneColumn  where gene names come from: an h5ad {@code var} column or a loom row
     *                    attribute (null: the var index / {@code Gene})
     * @param matrix      h5ad only: {@code X} (default), {@code raw} for {@code raw/X}, or a layer name
     */
    public record Options(Orientation orientation, String geneColumn, String matrix) {
        public static Options defaults() {
            return new Options(Orientation.AUTO, null, "X");
        }

        public Options withOrientation(Orientation o) {
            return new Options(o, geneColumn, matrix);
        }

        public Options withGeneColumn(String column) {
            return new Options(orientation, column, matrix);
        }

        public Options withMatrix(String m) {
            return new Options(orientation, geneColumn, m == null ? "X" : m);
        }
    }

    private static final byte[] MODEL_MAGIC = "GIMVI-J\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** True for a gimvi-java model file (so commands can say so instead of parsing it as a table). */
    public static boolean isModelFile(Path file) {
        return Files.isRegularFile(file) && startsWith(file, MODEL_MAGIC, false);
    }

    /** Reads any supported file or 10x folder; text tables' orientation is detected. */
    public static CellDataset read(Path file) {
        return read(file, Orientation.AUTO, null);
    }

    public static CellDataset read(Path file, Orientation orientation) {
        return read(file, orientation, null);
    }

    /**
     * @param geneColumn where gene names come from: an h5ad {@code var} column or a loom row attribute
     *                   (null: the var index / {@code Gene}); ignored for text and 10x inputs
     */
    public static CellDataset read(Path file, Orientation orientation, String geneColumn) {
        return read(file, Options.defaults().withOrientation(orientation).withGeneColumn(geneColumn));
    }

    /**
     * Reads one input and checks it before anything uses it: every value finite (a NaN or infinity
     * is refused naming the cell and gene, never dropped later as an "empty" cell) and every cell
     * name unique.
     */
    public static CellDataset read(Path file, Options options) {
        CellDataset d = readUnchecked(file, options);
        CountValues.check(d.counts(), d.genes(), d.cells(), file.toString(), CountValues.Sign.ANY);
        CountValues.checkUniqueCells(d.cells(), file.toString());
        return d;
    }

    private static CellDataset readUnchecked(Path file, Options options) {
        Orientation orientation = options.orientation();
        String geneColumn = options.geneColumn();
        boolean defaultMatrix = options.matrix() == null || options.matrix().equals("X");
        if (!Files.exists(file)) {
            throw new InputFormatException(file, "file not found");
        }
        if (Files.isDirectory(file)) {
            if (TenXReader.isTenX(file)) {
                return TenXReader.read(file);
            }
            throw new InputFormatException(file, "is a folder but not a 10x one (matrix.mtx, features.tsv, barcodes.tsv); "
                    + "give a file (h5ad, loom, csv/tsv) or use the benchmark-layout folder with 'gimvi benchmark'");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (isHdf5(file)) {
            if (name.endsWith(".loom")) {
                return geneColumn == null ? LoomReader.read(file) : LoomReader.read(file, geneColumn);
            }
            if (!defaultMatrix && name.endsWith(".loom")) {
                throw new InputFormatException(file, "--layer applies to .h5ad files; a loom file's counts are its matrix");
            }
            H5adReader.Options o = H5adReader.Options.defaults();
            return H5adReader.read(file, new H5adReader.Options(defaultMatrix ? "X" : options.matrix(), geneColumn,
                    o.spatialKey()));
        }
        if (!defaultMatrix) {
            throw new InputFormatException(file, "--layer applies to .h5ad files, and this is not one");
        }
        if (startsWith(file, MODEL_MAGIC, false)) {
            throw new InputFormatException(file, "is a gimvi-java model file, not a dataset; describe it with "
                    + "'gimvi info " + file.getFileName() + "' or impute with 'gimvi impute --model " + file.getFileName()
                    + " --spatial SLIDE --out OUT.h5ad'");
        }
        if (isRData(file, name)) {
            throw new InputFormatException(file, "is an R data file (.rda/.RData/.rds), which gimvi cannot read; export "
                    + "the counts from R as .h5ad (e.g. zellkonverter::writeH5AD, SeuratDisk) or as a csv table");
        }
        if (name.endsWith(".h5ad") || name.endsWith(".loom")) {
            throw new InputFormatException(file, "is named like an HDF5 file but does not start with the HDF5 signature; "
                    + "it may be truncated or not HDF5 at all");
        }
        if (isLinnarsson(file)) {
            return LinnarssonReader.read(file);
        }
        TextTable t = DelimitedTextReader.read(file);
        if (orientation == Orientation.AUTO && (t.rows() < 2 || t.cols() < 2)) {
            // one row (or column) gives nothing to tell cells from genes by: guessing would silently
            // turn one cell with many genes into many cells with one gene
            throw new InputFormatException(file, "has " + t.rows() + " data row(s) × " + t.cols() + " column(s), too few "
                    + "to tell cells from genes; give the orientation (--orientation, --seq-orientation or "
                    + "--spatial-orientation CELLS_BY_GENES or GENES_BY_CELLS)");
        }
        boolean genesInRows = switch (orientation) {
            case GENES_BY_CELLS -> true;
            case CELLS_BY_GENES -> false;
            case AUTO -> t.cols() > 3 * t.rows(); // far more columns than rows: columns are cells
        };
        if (genesInRows) {
            t = t.transposed();
        }
        return new CellDataset(file.getFileName().toString(), "delimited text" + (genesInRows ? " (genes × cells)" : " (cells × genes)"),
                new DenseCountMatrix(t.rows(), t.cols(), t.values()), t.colNames(), t.rowNames(), new LinkedHashMap<>(), null);
    }

    /** The Zeisel layout starts with a metadata row whose first field is empty and second names it. */
    static boolean isLinnarsson(Path file) {
        try (java.io.BufferedReader r = DelimitedTextReader.open(file)) {
            String first = r.readLine();
            if (first == null) {
                return false;
            }
            String[] f = first.split("\t", 4);
            return f.length >= 3 && f[0].isEmpty() && f[1].trim().equals("tissue");
        } catch (IOException e) {
            return false;
        }
    }

    /** R's save() files start with "RDX2"/"RDX3" (usually gzip-compressed); readRDS files with "X\n". */
    private static boolean isRData(Path file, String lowerName) {
        if (lowerName.endsWith(".rda") || lowerName.endsWith(".rdata") || lowerName.endsWith(".rds")) {
            return true;
        }
        return startsWith(file, "RDX".getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
    }

    /** Whether the file (gunzipped, when asked and gzip-compressed) starts with these bytes. */
    private static boolean startsWith(Path file, byte[] prefix, boolean gunzip) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new java.io.BufferedInputStream(raw);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (gunzip && b0 == 0x1f && b1 == 0x8b) {
                in = new java.util.zip.GZIPInputStream(in);
            }
            return java.util.Arrays.equals(in.readNBytes(prefix.length), prefix);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            return java.util.Arrays.equals(head, HDF5_SIGNATURE);
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot be opened (" + e.getMessage() + ")");
        }
    }
}

package org.gimvi.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.gimvi.model.data.CellDataset;
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
            H5adReader.Options o = H5adReader.Options.defaults();
            return H5adReader.read(file, new H5adReader.Options(o.matrix(), geneColumn, o.spatialKey()));
        }
        if (name.endsWith(".h5ad") || name.endsWith(".loom")) {
            throw new InputFormatException(file, "is named like an HDF5 file but does not start with the HDF5 signature; "
                    + "it may be truncated or not HDF5 at all");
        }
        if (isLinnarsson(file)) {
            return LinnarssonReader.read(file);
        }
        TextTable t = DelimitedTextReader.read(file);
        boolean genesInRows = switch (orientation) {
            case GENES_BY_CELLS -> true;
            case CELLS_BY_GENES -> false;
            case AUTO -> t.rows() > 0 && t.cols() > 3 * t.rows(); // far more columns than rows: columns are cells
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

    static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            return java.util.Arrays.equals(head, HDF5_SIGNATURE);
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot be opened (" + e.getMessage() + ")");
        }
    }
}

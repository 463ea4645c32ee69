package org.gimvi.model.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.gimvi.model.data.CellDataset;
import org.gimvi.engine.matrix.CsrMatrix;

/**
 * Reads a 10x Genomics / Matrix Market folder: {@code matrix.mtx(.gz)} (coordinate format, genes ×
 * cells, 1-based), {@code features.tsv(.gz)} or {@code genes.tsv} (gene id, gene name, …) and
 * {@code barcodes.tsv(.gz)}. Gene names come from the second column when present (the symbol), else the
 * first. The counts are kept sparse (CSR, cells × genes).
 */
public final class TenXReader {
    private TenXReader() {
    }

    public static boolean isTenX(Path dir) {
        return Files.isDirectory(dir) && find(dir, "matrix.mtx") != null;
    }

    static Path find(Path dir, String base) {
        for (String n : new String[]{base, base + ".gz"}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public static CellDataset read(Path dir) {
        Path mtx = find(dir, "matrix.mtx");
        Path features = find(dir, "features.tsv") != null ? find(dir, "features.tsv") : find(dir, "genes.tsv");
        Path barcodes = find(dir, "barcodes.tsv");
        if (mtx == null || features == null || barcodes == null) {
            throw new InputFormatException(dir, "a 10x folder needs matrix.mtx, features.tsv (or genes.tsv) and "
                    + "barcodes.tsv, optionally gzipped");
        }
        String[] genes = column(features, true);
        String[] cells = column(barcodes, false);
        try (BufferedReader r = DelimitedTextReader.open(mtx)) {
            String header = r.readLine();
            if (header == null || !header.startsWith("%%MatrixMarket") || !header.contains("coordinate")) {
                throw new InputFormatException(mtx, 1, "not a Matrix Market coordinate file (expected a '%%MatrixMarket "
                        + "matrix coordinate …' header)");
            }
            boolean pattern = header.contains("pattern");
            String line;
            long lineNo = 1;
            do {
                line = r.readLine();
                lineNo++;
            } while (line != null && line.startsWith("%"));
            if (line == null) {
                throw new InputFormatException(mtx, lineNo, "the size line (rows columns entries) is missing");
            }
            String[] size = line.trim().split("\\s+");
            int nGenes = Integer.parseInt(size[0]);
            int nCells = Integer.parseInt(size[1]);
            int nnz = Math.toIntExact(Long.parseLong(size[2]));
            if (nGenes != genes.length || nCells != cells.length) {
                throw new InputFormatException(mtx, lineNo, "the matrix is " + nGenes + " × " + nCells + " but "
                        + features.getFileName() + " lists " + genes.length + " genes and " + barcodes.getFileName()
                        + " " + cells.length + " barcodes");
            }
            int[] geneOf = new int[nnz];
            int[] cellOf = new int[nnz];
            float[] value = new float[nnz];
            for (int k = 0; k < nnz; k++) {
                line = r.readLine();
                lineNo++;
                if (line == null) {
                    throw new InputFormatException(mtx, lineNo, "ends after " + k + " of " + nnz + " entries (truncated?)");
                }
                String[] f = line.trim().split("\\s+");
                try {
                    geneOf[k] = Integer.parseInt(f[0]) - 1;
                    cellOf[k] = Integer.parseInt(f[1]) - 1;
                    value[k] = pattern ? 1f : Float.parseFloat(f[2]);
                } catch (RuntimeException e) {
                    throw new InputFormatException(mtx, lineNo, "malformed entry '" + line + "'");
                }
                if (geneOf[k] < 0 || geneOf[k] >= nGenes || cellOf[k] < 0 || cellOf[k] >= nCells) {
                    throw new InputFormatException(mtx, lineNo, "entry outside the " + nGenes + " × " + nCells + " matrix");
                }
            }
            // genes × cells coordinates are CSC of the cells × genes matrix once sorted by cell
            int[] indptr = new int[nCells + 1];
            for (int k = 0; k < nnz; k++) {
                indptr[cellOf[k] + 1]++;
            }
            for (int c = 0; c < nCells; c++) {
                indptr[c + 1] += indptr[c];
            }
            int[] pos = indptr.clone();
            int[] idx = new int[nnz];
            float[] val = new float[nnz];
            for (int k = 0; k < nnz; k++) {
                int dst = pos[cellOf[k]]++;
                idx[dst] = geneOf[k];
                val[dst] = value[k];
            }
            sortWithinRows(indptr, idx, val);
            return new CellDataset(dir.getFileName().toString(), "10x / Matrix Market",
                    new CsrMatrix(nCells, nGenes, indptr, idx, val), genes, cells, new LinkedHashMap<>(), null);
        } catch (IOException e) {
            throw new InputFormatException(mtx, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void sortWithinRows(int[] indptr, int[] idx, float[] val) {
        for (int r = 0; r + 1 < indptr.length; r++) {
            for (int i = indptr[r] + 1; i < indptr[r + 1]; i++) { // insertion sort: rows are short and nearly sorted
                int ki = idx[i];
                float kv = val[i];
                int j = i - 1;
                while (j >= indptr[r] && idx[j] > ki) {
                    idx[j + 1] = idx[j];
                    val[j + 1] = val[j];
                    j--;
                }
                idx[j + 1] = ki;
                val[j + 1] = kv;
            }
        }
    }

    private static String[] column(Path file, boolean preferSecond) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = DelimitedTextReader.open(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t");
                out.add(preferSecond && f.length > 1 ? f[1] : f[0]);
            }
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot be read (" + e.getMessage() + ")");
        }
        return out.toArray(new String[0]);
    }
}

package org.gimvi.benchmarks.streaming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.io.H5adWriter;

/**
 * Writes a simulated reference ({@link SparseReferenceSimulator}) as an h5ad with a CSR X:
 * {@code ReferenceWriter OUT.h5ad CELLS GENES EXPRESSED_PER_CELL [SEED]}. The rows are generated one
 * at a time, but jhdf 0.13 writes a dataset from one array, so the CSR arrays are held whole while
 * writing (≈ 8 bytes per non-zero; give the JVM that much heap): the file is made in memory once,
 * and is then read back in blocks by the streaming training benchmark at a small heap.
 */
public final class ReferenceWriter {
    private ReferenceWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: ReferenceWriter OUT.h5ad CELLS GENES EXPRESSED_PER_CELL [SEED]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int cells = Integer.parseInt(args[1]);
        int genes = Integer.parseInt(args[2]);
        int perCell = Integer.parseInt(args[3]);
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 0;
        long t = System.nanoTime();
        write(out, cells, genes, perCell, seed);
        System.out.printf(Locale.ROOT, "wrote %s: %d cells × %d genes in %.1f s%n", out, cells, genes,
                (System.nanoTime() - t) / 1e9);
    }

    static void write(Path out, int cells, int genes, int perCell, long seed) throws IOException {
        SparseReferenceSimulator sim = new SparseReferenceSimulator(genes, perCell, seed);
        long capacity = (long) cells * perCell;
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(cells + " cells × " + perCell + " genes is more non-zeros than one Java "
                    + "array holds; jhdf writes a dataset from one array — use fewer cells or genes per cell");
        }
        int[] indptr = new int[cells + 1];
        int[] indices = new int[(int) capacity];
        float[] values = new float[(int) capacity];
        int[] rowIdx = new int[perCell];
        float[] rowVal = new float[perCell];
        int at = 0;
        for (int i = 0; i < cells; i++) {
            int n = sim.row(i, rowIdx, rowVal);
            System.arraycopy(rowIdx, 0, indices, at, n);
            System.arraycopy(rowVal, 0, values, at, n);
            at += n;
            indptr[i + 1] = at;
        }
        indices = java.util.Arrays.copyOf(indices, at);
        values = java.util.Arrays.copyOf(values, at);
        String[] cellNames = new String[cells];
        for (int i = 0; i < cells; i++) {
            cellNames[i] = "cell" + i;
        }
        H5adWriter.write(out, new H5adWriter.Content(new CsrMatrix(cells, genes, indptr, indices, values), cellNames,
                geneNames(genes)));
    }

    static String[] geneNames(int genes) {
        String[] g = new String[genes];
        for (int j = 0; j < genes; j++) {
            g[j] = String.format(Locale.ROOT, "gene%05d", j);
        }
        return g;
    }
}

package org.gimvi.benchmarks.streaming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.gimvi.model.io.CsrRowStream;
import org.gimvi.model.io.H5adWriter;

/**
 * Writes a simulated reference ({@link SparseReferenceSimulator}) as an h5ad with a CSR X:
 * {@code ReferenceWriter OUT.h5ad CELLS GENES EXPRESSED_PER_CELL [SEED]}. The rows are generated one
 * at a time, twice (the writer counts each row's entries first, then streams the values), so no CSR
 * array is held: the heap needs the cell names and a few MB of buffers, whatever the non-zeros.
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
        String[] cellNames = new String[cells];
        for (int i = 0; i < cells; i++) {
            cellNames[i] = "cell" + i;
        }
        H5adWriter.write(out, new H5adWriter.Content(new SimulatedRows(sim, cells, genes), cellNames, geneNames(genes)));
    }

    /** The simulator's rows, regenerated in each of the writer's two passes (a row depends only on its index). */
    private static final class SimulatedRows implements CsrRowStream {
        private final SparseReferenceSimulator sim;
        private final int cells;
        private final int genes;
        private int next;

        SimulatedRows(SparseReferenceSimulator sim, int cells, int genes) {
            this.sim = sim;
            this.cells = cells;
            this.genes = genes;
        }

        @Override
        public int rows() {
            return cells;
        }

        @Override
        public int cols() {
            return genes;
        }

        @Override
        public void restart() {
            next = 0;
        }

        @Override
        public int next(int[] columns, float[] values) {
            return sim.row(next++, columns, values);
        }
    }

    static String[] geneNames(int genes) {
        String[] g = new String[genes];
        for (int j = 0; j < genes; j++) {
            g[j] = String.format(Locale.ROOT, "gene%05d", j);
        }
        return g;
    }
}

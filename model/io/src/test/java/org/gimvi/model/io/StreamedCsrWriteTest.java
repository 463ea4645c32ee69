package org.gimvi.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.data.CellDataset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSR X written from rows produced twice (bounded memory) reads back as the same matrix through
 * {@link H5adReader} and {@link H5adCellSource} on awkward sizes, an all-zero sparse matrix is
 * written (jhdf alone cannot), rows that change between passes are refused with nothing written,
 * and anndata opens both files (skipped where /usr/bin/python3 has no anndata).
 */
class StreamedCsrWriteTest {
    @TempDir
    Path dir;

    /** Rows from a seed and the row index, with empty rows; the same in every pass. */
    static final class SeededRows implements CsrRowStream {
        private final int rows;
        private final int cols;
        private final long seed;
        private int row;
        private int passes;
        private final boolean changeSecondPass;

        SeededRows(int rows, int cols, long seed, boolean changeSecondPass) {
            this.rows = rows;
            this.cols = cols;
            this.seed = seed;
            this.changeSecondPass = changeSecondPass;
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int cols() {
            return cols;
        }

        @Override
        public void restart() {
            row = 0;
            passes++;
        }

        @Override
        public int next(int[] columns, float[] values) {
            Rng rng = new Rng(seed * 31 + row);
            int n = 0;
            if (row % 4 != 1) {
                for (int j = 0; j < cols; j++) {
                    if (rng.nextInt(3) == 0) {
                        columns[n] = j;
                        values[n++] = 1 + rng.nextInt(20);
                    }
                }
            }
            if (changeSecondPass && passes == 2 && row == rows - 1) {
                columns[n] = 0;
                values[n++] = 1;
            }
            row++;
            return n;
        }

        CsrMatrix inMemory() {
            int[] ptr = new int[rows + 1];
            int[] idx = new int[rows * cols];
            float[] val = new float[rows * cols];
            int[] c = new int[cols];
            float[] v = new float[cols];
            restart();
            for (int i = 0; i < rows; i++) {
                int n = next(c, v);
                System.arraycopy(c, 0, idx, ptr[i], n);
                System.arraycopy(v, 0, val, ptr[i], n);
                ptr[i + 1] = ptr[i] + n;
            }
            return new CsrMatrix(rows, cols, ptr, Arrays.copyOf(idx, ptr[rows]), Arrays.copyOf(val, ptr[rows]));
        }
    }

    private static String[] names(String prefix, int n) {
        String[] s = new String[n];
        Arrays.setAll(s, i -> prefix + i);
        return s;
    }

    @Test
    void streamedRowsReadBackAsTheMatrix() throws Exception {
        for (int rows : new int[]{1, 3, 33, 129}) {
            SeededRows stream = new SeededRows(rows, 7, rows, false);
            CsrMatrix expected = new SeededRows(rows, 7, rows, false).inMemory();
            Path f = dir.resolve("streamed" + rows + ".h5ad");
            H5adWriter.write(f, new H5adWriter.Content(stream, names("c", rows), names("g", 7)).obs("n", new double[rows]));
            CellDataset d = H5adReader.read(f);
            CsrMatrix back = (CsrMatrix) d.counts();
            assertArrayEquals(expected.indptr(), back.indptr(), rows + " rows");
            assertArrayEquals(expected.indices(), back.indices());
            assertArrayEquals(expected.values(), back.values());
            assertArrayEquals(names("c", rows), d.cells());
            try (H5adCellSource s = H5adCellSource.open(f, "X", 16)) {
                assertEquals(expected.nonZeros(), s.nonZeros());
                float[] a = new float[7];
                float[] b = new float[7];
                for (int i = 0; i < rows; i++) {
                    expected.copyRow(i, a, 0);
                    s.copyRow(i, b, 0);
                    assertArrayEquals(a, b, "row " + i);
                }
            }
        }
    }

    @Test
    void anAllZeroSparseMatrixIsWritten() throws Exception {
        CsrMatrix zero = new CsrMatrix(4, 3, new int[5], new int[0], new float[0]);
        Path f = dir.resolve("zero.h5ad");
        H5adWriter.write(f, new H5adWriter.Content(zero, names("c", 4), names("g", 3)));
        CsrMatrix back = (CsrMatrix) H5adReader.read(f).counts();
        assertEquals(4, back.rows());
        assertEquals(3, back.cols());
        assertEquals(0, back.nonZeros());
        try (H5adCellSource s = H5adCellSource.open(f)) {
            assertEquals(0, s.nonZeros());
            assertEquals(0.0, s.rowSum(3, null));
        }
    }

    @Test
    void rowsThatChangeBetweenPassesAreRefusedAndNothingIsWritten() {
        Path f = dir.resolve("changed.h5ad");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> H5adWriter.write(f,
                new H5adWriter.Content(new SeededRows(10, 5, 1, true), names("c", 10), names("g", 5))));
        assertTrue(e.getMessage().contains("row 9") && e.getMessage().contains("both passes"), e.getMessage());
        assertFalse(Files.exists(f));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left");
        } catch (java.io.IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
    }

    @Test
    void anndataOpensTheStreamedAndTheEmptyMatrix() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import anndata").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3-anndata is not installed");
        CsrMatrix expected = new SeededRows(33, 7, 2, false).inMemory();
        Path streamed = dir.resolve("streamed.h5ad");
        H5adWriter.write(streamed, new H5adWriter.Content(new SeededRows(33, 7, 2, false), names("c", 33), names("g", 7)));
        Path zero = dir.resolve("zero.h5ad");
        H5adWriter.write(zero, new H5adWriter.Content(new CsrMatrix(4, 3, new int[5], new int[0], new float[0]),
                names("c", 4), names("g", 3)));
        String script = "import anndata, sys\n"
                + "a = anndata.read_h5ad(sys.argv[1]); z = anndata.read_h5ad(sys.argv[2])\n"
                + "print(a.shape, a.X.nnz, float(a.X.sum()), a.obs_names[32], z.shape, z.X.nnz)\n";
        Process p = new ProcessBuilder(python.toString(), "-c", script, streamed.toString(), zero.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "anndata did not finish");
        assertEquals(0, p.exitValue(), out);
        double sum = 0;
        for (float v : expected.values()) {
            sum += v;
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        assertEquals("(33, 7) " + expected.nonZeros() + " " + sum + " c32 (4, 3) 0", last, out);
    }
}

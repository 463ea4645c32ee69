package org.gimvi.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-backed reference against the same matrix in memory: every row, cell total and gene
 * statistic equal on awkward sizes whatever order rows are read in; the epoch order a seeded block
 * shuffle; gimVI trained from the file equal, bit for bit, to gimVI trained from memory in the same
 * order; and non-CSR matrices refused with the fix.
 */
class H5adCellSourceTest {
    @TempDir
    Path dir;

    /** A sparse counts matrix with empty rows and empty columns. */
    private static CsrMatrix sparse(int rows, int cols, long seed) {
        Rng rng = new Rng(seed);
        float[] dense = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (i % 5 == 2) {
                continue; // an empty cell
            }
            for (int j = 0; j < cols - 1; j++) { // the last gene is never expressed
                if (rng.nextInt(4) == 0) {
                    dense[i * cols + j] = 1 + rng.nextInt(9);
                }
            }
            dense[i * cols + i % (cols - 1)] += 1; // every other cell has a count (jhdf writes no empty arrays)
        }
        return CsrMatrixOf.dense(rows, cols, dense);
    }

    private Path write(CsrMatrix m, String name) throws IOException {
        Path file = dir.resolve(name);
        String[] cells = new String[m.rows()];
        String[] genes = new String[m.cols()];
        Arrays.setAll(cells, i -> "c" + i);
        Arrays.setAll(genes, j -> "g" + j);
        H5adWriter.write(file, new H5adWriter.Content(m, cells, genes));
        return file;
    }

    @Test
    void rowsTotalsAndGeneStatisticsEqualTheMatrixInMemory() throws IOException {
        for (int rows : new int[]{1, 3, 33, 127, 129}) {
            CsrMatrix m = sparse(rows, 7, rows);
            for (int blockRows : new int[]{1, 33}) {
                try (H5adCellSource s = H5adCellSource.open(write(m, "m" + rows + "-" + blockRows + ".h5ad"), "X",
                        blockRows)) {
                    assertEquals(rows, s.rows());
                    assertEquals(m.nonZeros(), s.nonZeros());
                    int[] order = new int[rows];
                    Arrays.setAll(order, i -> i);
                    s.orderForEpoch(order, new Rng(9)); // blocks, as training reads them
                    checkRows(m, s, order, rows + " rows, blocks of " + blockRows);
                    new Rng(3).shuffle(order, rows); // scattered, as validation reads them
                    checkRows(m, s, order, rows + " rows, scattered");
                    double[] sums = new double[7];
                    long[] nonZeros = new long[7];
                    for (int i = 0; i < rows; i++) {
                        assertEquals(Double.doubleToLongBits(m.rowSum(i, null)), Double.doubleToLongBits(s.rowSum(i, null)));
                        for (int j = 0; j < 7; j++) {
                            sums[j] += m.get(i, j);
                            nonZeros[j] += m.get(i, j) != 0 ? 1 : 0;
                        }
                    }
                    assertArrayEquals(sums, s.statistics().geneSums());
                    assertArrayEquals(nonZeros, s.statistics().geneNonZeros());
                    assertEquals(0, s.statistics().geneSums()[6]);
                }
            }
        }
    }

    private static void checkRows(CsrMatrix m, H5adCellSource s, int[] order, String what) {
        float[] expected = new float[m.cols()];
        float[] actual = new float[m.cols() + 2];
        for (int i : order) {
            m.copyRow(i, expected, 0);
            Arrays.fill(actual, 5f); // stale values must be overwritten
            s.copyRow(i, actual, 1);
            assertArrayEquals(expected, Arrays.copyOfRange(actual, 1, 1 + m.cols()), what + ", row " + i);
        }
    }

    /**
     * What other writers produce: 64-bit row offsets and chunked, deflate-compressed data and
     * indices (read through jhdf's slicing rather than straight from the file).
     */
    @Test
    void longOffsetsAndChunkedCompressedArraysReadTheSame() {
        CsrMatrix m = sparse(129, 6, 11);
        long[] indptr = new long[m.rows() + 1];
        for (int i = 0; i <= m.rows(); i++) {
            indptr[i] = m.indptr()[i];
        }
        Path file = dir.resolve("chunked.h5ad");
        io.jhdf.api.DatasetCreationOptions chunked = io.jhdf.api.DatasetCreationOptions.builder()
                .chunkDimensions(50).deflate().build();
        try (io.jhdf.WritableHdfFile f = io.jhdf.HdfFile.write(file)) {
            io.jhdf.api.WritableGroup x = f.putGroup("X");
            x.putAttribute("encoding-type", "csr_matrix");
            x.putAttribute("encoding-version", "0.1.0");
            x.putAttribute("shape", new long[]{m.rows(), m.cols()});
            x.putDataset("data", m.values(), chunked);
            x.putDataset("indices", m.indices(), chunked);
            x.putDataset("indptr", indptr);
        }
        try (io.jhdf.HdfFile h = new io.jhdf.HdfFile(file)) {
            assertTrue(!(h.getDatasetByPath("X/data") instanceof io.jhdf.api.dataset.ContiguousDataset)
                    && h.getDatasetByPath("X/indptr").getJavaType() == long.class, "the layout this test is about");
        }
        try (H5adCellSource s = H5adCellSource.open(file, "X", 16)) {
            int[] order = new int[m.rows()];
            Arrays.setAll(order, i -> i);
            s.orderForEpoch(order, new Rng(2));
            checkRows(m, s, order, "chunked, 64-bit offsets");
            assertEquals(m.nonZeros(), s.nonZeros());
        }
    }

    @Test
    void rowEntriesAndSelectedRowsReadTheFileWithoutACopy() throws IOException {
        CsrMatrix m = sparse(129, 7, 5);
        try (H5adCellSource s = H5adCellSource.open(write(m, "entries.h5ad"), "X", 16)) {
            int[] columns = new int[7];
            float[] values = new float[7];
            int[] expectedColumns = new int[7];
            float[] expectedValues = new float[7];
            for (int i : new int[]{0, 2, 128, 17, 18, 64}) {
                int n = m.copyRowEntries(i, expectedColumns, expectedValues);
                assertEquals(n, s.copyRowEntries(i, columns, values), "row " + i);
                assertArrayEquals(Arrays.copyOf(expectedColumns, n), Arrays.copyOf(columns, n));
                assertArrayEquals(Arrays.copyOf(expectedValues, n), Arrays.copyOf(values, n));
            }
            int[] picked = {1, 3, 4, 40, 41, 90, 128};
            org.gimvi.engine.matrix.CountMatrix view = s.selectRows(picked);
            assertTrue(view instanceof SelectedSourceRows, "ascending rows stay on disk");
            CsrMatrix copy = m.selectRows(picked);
            int[] all = {0, 1, 2, 3, 4, 5, 6};
            checkRows(copy, view, all);
            for (int i = 0; i < picked.length; i++) {
                assertEquals(Double.doubleToLongBits(copy.rowSum(i, null)), Double.doubleToLongBits(view.rowSum(i, null)));
            }
            int[] viaView = {6, 0, 2, 5, 3};
            int[] viaSource = new int[viaView.length];
            for (int k = 0; k < viaView.length; k++) {
                viaSource[k] = picked[viaView[k]];
            }
            ((org.gimvi.model.gimvi.CellSource) view).orderForEpoch(viaView, new Rng(8));
            s.orderForEpoch(viaSource, new Rng(8));
            for (int k = 0; k < viaView.length; k++) {
                assertEquals(viaSource[k], picked[viaView[k]], "the view is visited in the source's block order");
            }
            assertTrue(!(s.selectRows(new int[]{5, 2}) instanceof SelectedSourceRows), "another order is copied");
        }
    }

    private static void checkRows(CsrMatrix m, org.gimvi.engine.matrix.CountMatrix s, int[] order) {
        float[] expected = new float[m.cols()];
        float[] actual = new float[m.cols()];
        for (int i : order) {
            m.copyRow(i, expected, 0);
            s.copyRow(i, actual, 0);
            assertArrayEquals(expected, actual, "row " + i);
        }
    }

    @Test
    void oneBlockIsShuffledAsAMatrixInMemory() {
        int[] cells = {9, 3, 0, 14, 7, 1};
        int[] uniform = cells.clone();
        new Rng(6).shuffle(uniform, uniform.length);
        new org.gimvi.model.gimvi.BlockShuffle(16).order(cells, new Rng(6));
        assertArrayEquals(uniform, cells);
    }

    @Test
    void theEpochOrderIsASeededBlockShuffleOfTheTrainingCells() throws IOException {
        CsrMatrix m = sparse(129, 5, 1);
        try (H5adCellSource s = H5adCellSource.open(write(m, "order.h5ad"), "X", 16)) {
            int[] cells = new int[100];
            Arrays.setAll(cells, i -> 128 - i); // any subset, any starting order
            int[] a = cells.clone();
            int[] b = cells.clone();
            s.orderForEpoch(a, new Rng(4));
            s.orderForEpoch(b, new Rng(4));
            assertArrayEquals(a, b, "same seed, same order");
            int[] sorted = a.clone();
            Arrays.sort(sorted);
            int[] expected = cells.clone();
            Arrays.sort(expected);
            assertArrayEquals(expected, sorted, "a permutation of the training cells");
            int changes = 0;
            for (int i = 1; i < a.length; i++) {
                changes += a[i] / 16 != a[i - 1] / 16 ? 1 : 0;
            }
            assertEquals(Arrays.stream(a).map(c -> c / 16).distinct().count() - 1, changes,
                    "each block's cells are visited together");
            assertTrue(!Arrays.equals(a, sorted), "shuffled");
        }
    }

    @Test
    void trainingFromTheFileEqualsTrainingFromMemoryInTheSameOrder() throws IOException {
        SimulatorConfig c = new SimulatorConfig();
        c.seqCells = 100;
        c.spatialCells = 60;
        c.genes = 40;
        c.markersPerType = 3;
        c.panelGenes = 12;
        c.heldOutGenes = 3;
        SimulatedPair p = TissueSimulator.simulate(c);
        DenseCountMatrix seq = p.seqCounts();
        float[] dense = new float[seq.rows() * seq.cols()];
        for (int i = 0; i < seq.rows(); i++) {
            seq.copyRow(i, dense, i * seq.cols());
        }
        CsrMatrix csr = CsrMatrixOf.dense(seq.rows(), seq.cols(), dense);
        Path file = dir.resolve("seq.h5ad");
        H5adWriter.write(file, new H5adWriter.Content(csr, names(seq.rows()), p.seqGenes()));
        FMatrixRMaj fromMemory = train(new BlockOrderedMatrix(csr, 20), p);
        FMatrixRMaj fromFile;
        try (H5adCellSource s = H5adCellSource.open(file, "X", 20)) {
            fromFile = train(s, p);
        }
        assertArrayEquals(fromMemory.data, fromFile.data);
    }

    private static FMatrixRMaj train(org.gimvi.engine.matrix.CountMatrix seq, SimulatedPair p) {
        Gimvi m = Gimvi.create(List.of(
                Gimvi.DatasetInput.of("scRNA-seq", seq, p.seqGenes(), Likelihood.ZINB, Library.LATENT),
                Gimvi.DatasetInput.of("spatial", p.spatialCounts(), p.spatialGenes(), Likelihood.NB, Library.OBSERVED)),
                GimviOptions.defaults().withSeed(7).withBackend("scalar")); // no vector-kernel warm-up: a fast test
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = 1;
        cfg.batchSize = 32;
        m.train(cfg);
        return m.imputedValues(1, Scale.EXPECTED_COUNTS);
    }

    private static String[] names(int n) {
        String[] s = new String[n];
        Arrays.setAll(s, i -> "c" + i);
        return s;
    }

    @Test
    void aDenseOrCscMatrixIsRefusedWithTheFix() throws IOException {
        Path denseFile = dir.resolve("dense.h5ad");
        H5adWriter.write(denseFile, new H5adWriter.Content(new float[][]{{1, 0}, {0, 2}}, new String[]{"a", "b"},
                new String[]{"g0", "g1"}));
        InputFormatException e = assertThrows(InputFormatException.class, () -> H5adCellSource.open(denseFile));
        assertTrue(e.getMessage().contains("dense.h5ad") && e.getMessage().contains("csr_matrix"), e.getMessage());
        InputFormatException missing = assertThrows(InputFormatException.class,
                () -> H5adCellSource.open(denseFile, "counts", 8));
        assertTrue(missing.getMessage().contains("layers/counts"), missing.getMessage());
    }
}

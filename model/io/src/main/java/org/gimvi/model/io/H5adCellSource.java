package org.gimvi.model.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.gimvi.BlockShuffle;
import org.gimvi.model.gimvi.CellSource;

/**
 * A reference that stays on disk: the CSR matrix {@code X} (or a layer, or {@code raw/X}) of an
 * h5ad file, read one block of consecutive rows at a time, so a million-cell reference trains in a
 * small heap. Only the row offsets ({@code indptr}, 64-bit: more than 2³¹ non-zeros are fine) and
 * the per-cell and per-gene statistics stay in memory; nothing densifies the matrix.
 *
 * <p>Opening makes one streaming pass over the file that computes every cell's total (so the
 * library-size prior, {@link #rowSum}, needs no second read) and each gene's sum, sum of squares
 * and non-zero count ({@link #statistics()}). Training visits the cells in a {@link BlockShuffle}
 * order: blocks of {@code blockRows} consecutive rows in a seeded random order, cells within a block
 * in a seeded random order, so each block is read once per epoch, front to back.
 *
 * <p>Reads are cached one block at a time. A row outside the cached block is read on its own
 * unless the previous miss fell in the same block, in which case that block is loaded: block-shuffled
 * training then loads each block once, while scattered reads (the validation cells) read single
 * rows instead of a block per cell. One source serves one thread at a time (the training plan gives
 * each dataset to one task).
 */
public final class H5adCellSource implements CellSource, AutoCloseable {

    /**
     * Per-cell and per-gene statistics of the matrix, from the one pass at opening.
     *
     * @param cellTotals   Σ of each cell's values (its library size)
     * @param geneSums     Σ over cells of each gene's values
     * @param geneSquares  Σ over cells of each gene's squared values
     * @param geneNonZeros cells in which each gene is non-zero
     * @param nonZeros     stored entries of the whole matrix
     */
    public record Statistics(double[] cellTotals, double[] geneSums, double[] geneSquares, long[] geneNonZeros,
                             long nonZeros) {
        /** Mean of gene j over all cells. */
        public double geneMean(int j) {
            return geneSums[j] / cellTotals.length;
        }
    }

    /** Rows per block when none is given: a few MB per block at typical densities. */
    public static final int DEFAULT_BLOCK_ROWS = 4096;

    private final Path file;
    private final HdfFile hdf;
    private final Dataset data;
    private final Dataset indices;
    private final ContiguousArray dataReader;
    private final ContiguousArray indexReader;
    private final long[] indptr;
    private final int rows;
    private final int cols;
    private final String[] genes;
    private final Statistics statistics;
    private final BlockShuffle shuffle;

    private int blockStart = -1; // cached block: rows [blockStart, blockEnd)
    private int blockEnd = -1;
    private float[] blockValues = new float[0];
    private int[] blockIndices = new int[0];
    private int lastMissBlock = -1;
    private float[] sliceValues = blockValues; // the located row: entries [sliceStart, sliceStart + sliceLength)
    private int[] sliceIndices = blockIndices;
    private int sliceStart;
    private int sliceLength;
    private float[] scratchRow = new float[0];

    private H5adCellSource(Path file, HdfFile hdf, Group x, String varPath, int blockRows) {
        this.file = file;
        this.hdf = hdf;
        this.shuffle = new BlockShuffle(blockRows);
        String type = Hdf5Arrays.attribute(x, "encoding-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).equals("csr_matrix")) {
            throw new InputFormatException(file, "'" + x.getPath() + "' is " + (type == null ? "not a sparse matrix"
                    : "a " + type) + "; the streaming reader reads CSR (rows are cells) — convert it first, e.g. in "
                    + "Python: adata.X = scipy.sparse.csr_matrix(adata.X); adata.write_h5ad(...)");
        }
        long[] shape = shape(file, x);
        if (shape[0] > Integer.MAX_VALUE - 1 || shape[1] > Integer.MAX_VALUE - 1) {
            throw new InputFormatException(file, "'" + x.getPath() + "' has shape " + shape[0] + " × " + shape[1]
                    + "; at most 2³¹ − 2 cells and genes are supported (non-zeros may exceed 2³¹)");
        }
        rows = (int) shape[0];
        cols = (int) shape[1];
        data = child(x, "data");
        indices = child(x, "indices");
        indptr = Hdf5Arrays.longs(file, child(x, "indptr"));
        checkOffsets(x);
        dataReader = new ContiguousArray(file, data);
        indexReader = new ContiguousArray(file, indices);
        statistics = scan();
        genes = H5adReader.index(file, hdf, varPath, cols);
    }

    /** Opens {@code X} of an h5ad file with blocks of {@link #DEFAULT_BLOCK_ROWS} rows. */
    public static H5adCellSource open(Path file) {
        return open(file, "X", DEFAULT_BLOCK_ROWS);
    }

    /**
     * Opens a matrix of an h5ad file: {@code "X"}, {@code "raw"} (raw/X) or a layer's name.
     *
     * @param blockRows rows per block: the unit of the epoch's shuffle and of each read
     */
    public static H5adCellSource open(Path file, String matrix, int blockRows) {
        if (!Files.isRegularFile(file)) {
            throw new InputFormatException(file, "file not found");
        }
        HdfFile hdf = null;
        try {
            hdf = new HdfFile(file);
            String path = matrix.equals("X") ? "X" : matrix.equals("raw") ? "raw/X" : "layers/" + matrix;
            Node x = H5adReader.child(hdf, path);
            if (x == null) {
                throw new InputFormatException(file, "has no '" + path + "'; choose X, raw or an existing layer");
            }
            if (!(x instanceof Group g)) {
                throw new InputFormatException(file, "'" + path + "' is a dense array; the streaming reader reads CSR "
                        + "so that nothing is densified — store it sparse (scipy.sparse.csr_matrix) first");
            }
            return new H5adCellSource(file, hdf, g, matrix.equals("raw") ? "raw/var" : "var", blockRows);
        } catch (InputFormatException e) {
            closeQuietly(hdf);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(hdf);
            throw new InputFormatException(file, "cannot be read as HDF5/AnnData (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is it a complete .h5ad file?");
        }
    }

    public String[] genes() {
        return genes.clone();
    }

    public Statistics statistics() {
        return statistics;
    }

    public int blockRows() {
        return shuffle.blockRows();
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Stored entries of the matrix (may exceed 2³¹). */
    public long nonZeros() {
        return indptr[rows];
    }

    @Override
    public void orderForEpoch(int[] cells, Rng rng) {
        shuffle.order(cells, rng);
    }

    @Override
    public void copyRow(int row, float[] dst, int off) {
        Arrays.fill(dst, off, off + cols, 0f);
        locate(row);
        for (int k = 0; k < sliceLength; k++) {
            dst[off + sliceIndices[sliceStart + k]] = sliceValues[sliceStart + k];
        }
    }

    /** The row's stored entries, in file order, without densifying it. */
    @Override
    public int copyRowEntries(int row, int[] columns, float[] values) {
        locate(row);
        System.arraycopy(sliceIndices, sliceStart, columns, 0, sliceLength);
        System.arraycopy(sliceValues, sliceStart, values, 0, sliceLength);
        return sliceLength;
    }

    @Override
    public float get(int row, int col) {
        locate(row);
        float v = 0f;
        for (int k = 0; k < sliceLength; k++) {
            if (sliceIndices[sliceStart + k] == col) {
                v = sliceValues[sliceStart + k]; // the last stored entry wins, as when densifying
            }
        }
        return v;
    }

    /** The cell's total from the opening pass: the same sum, in the same order, as summing its row. */
    @Override
    public double rowSum(int row, int[] columns) {
        if (columns == null) {
            return statistics.cellTotals()[row];
        }
        if (scratchRow.length != cols) {
            scratchRow = new float[cols];
        }
        copyRow(row, scratchRow, 0);
        double s = 0;
        for (int j : columns) {
            s += scratchRow[j];
        }
        return s;
    }

    /**
     * The selected rows, still on disk: rows given in ascending order (as cell selections keep
     * them) make a {@link SelectedSourceRows} view that reads and shuffles as this source does;
     * any other order is copied into an in-memory CSR matrix (for subsets that fit in memory).
     */
    @Override
    public org.gimvi.engine.matrix.CountMatrix selectRows(int[] rowIndex) {
        if (SelectedSourceRows.ascending(rowIndex, rows)) {
            return new SelectedSourceRows(this, rowIndex.clone());
        }
        return copyRows(rowIndex);
    }

    /** The selected rows as an in-memory CSR matrix. */
    CsrMatrix copyRows(int[] rowIndex) {
        long total = 0;
        for (int r : rowIndex) {
            total += indptr[r + 1] - indptr[r];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(file + ": the " + rowIndex.length + " selected cells hold " + total
                    + " non-zeros, more than an in-memory matrix holds; select fewer cells or train from the file");
        }
        int[] ptr = new int[rowIndex.length + 1];
        int[] idx = new int[(int) total];
        float[] val = new float[(int) total];
        float[] row = new float[cols];
        int at = 0;
        for (int i = 0; i < rowIndex.length; i++) {
            copyRow(rowIndex[i], row, 0);
            for (int j = 0; j < cols; j++) {
                if (row[j] != 0) {
                    idx[at] = j;
                    val[at++] = row[j];
                }
            }
            ptr[i + 1] = at;
        }
        return new CsrMatrix(rowIndex.length, cols, ptr, Arrays.copyOf(idx, at), Arrays.copyOf(val, at));
    }

    @Override
    public void close() {
        dataReader.close();
        indexReader.close();
        hdf.close();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Makes the row's entries available as slice fields: from the cached block, or read on their
     * own — unless the previous miss fell in the same block, in which case that block is loaded.
     */
    private void locate(int row) {
        if (row >= blockStart && row < blockEnd) {
            sliceValues = blockValues;
            sliceIndices = blockIndices;
            sliceStart = (int) (indptr[row] - indptr[blockStart]);
            sliceLength = (int) (indptr[row + 1] - indptr[row]);
            return;
        }
        int block = row / shuffle.blockRows();
        if (block == lastMissBlock) {
            loadBlock(block);
            locate(row);
            return;
        }
        lastMissBlock = block;
        long from = indptr[row];
        int len = (int) (indptr[row + 1] - from);
        sliceStart = 0;
        sliceLength = len;
        sliceValues = len == 0 ? blockValues : values(from, len);
        sliceIndices = len == 0 ? blockIndices : columnIndices(from, len);
    }

    private void loadBlock(int block) {
        int start = block * shuffle.blockRows();
        int end = (int) Math.min(rows, (long) start + shuffle.blockRows());
        long from = indptr[start];
        long len = indptr[end] - from;
        if (len > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(file + ": rows " + start + "–" + end + " hold " + len + " non-zeros, too "
                    + "many for one block; open the file with fewer block rows");
        }
        blockValues = len == 0 ? new float[0] : values(from, (int) len);
        blockIndices = len == 0 ? new int[0] : columnIndices(from, (int) len);
        blockStart = start;
        blockEnd = end;
    }

    private float[] values(long from, int len) {
        return dataReader.floats(from, len);
    }

    private int[] columnIndices(long from, int len) {
        int[] idx = indexReader.ints(from, len);
        for (int k = 0; k < len; k++) {
            if (idx[k] < 0 || idx[k] >= cols) {
                throw new InputFormatException(file, "'" + indices.getPath() + "' entry " + (from + k) + " is column "
                        + idx[k] + ", outside the " + cols + " genes; the matrix is corrupt");
            }
        }
        return idx;
    }

    /** The one pass: cell totals and gene statistics, block by block in file order. */
    private Statistics scan() {
        double[] cellTotals = new double[rows];
        double[] geneSums = new double[cols];
        double[] geneSquares = new double[cols];
        long[] geneNonZeros = new long[cols];
        int blocks = (rows + shuffle.blockRows() - 1) / shuffle.blockRows();
        for (int b = 0; b < blocks; b++) {
            loadBlock(b);
            for (int r = blockStart; r < blockEnd; r++) {
                int base = (int) (indptr[r] - indptr[blockStart]);
                int len = (int) (indptr[r + 1] - indptr[r]);
                double total = 0;
                for (int k = 0; k < len; k++) {
                    float v = blockValues[base + k];
                    int j = blockIndices[base + k];
                    total += v;
                    geneSums[j] += v;
                    geneSquares[j] += (double) v * v;
                    if (v != 0) {
                        geneNonZeros[j]++;
                    }
                }
                cellTotals[r] = total;
            }
        }
        return new Statistics(cellTotals, geneSums, geneSquares, geneNonZeros, indptr[rows]);
    }

    private void checkOffsets(Group x) {
        if (indptr.length != (long) rows + 1) {
            throw new InputFormatException(file, "'" + x.getPath() + "/indptr' has " + indptr.length + " entries for "
                    + rows + " rows; a CSR matrix needs rows + 1");
        }
        if (indptr[0] != 0) {
            throw new InputFormatException(file, "'" + x.getPath() + "/indptr' starts at " + indptr[0] + ", not 0");
        }
        for (int r = 0; r < rows; r++) {
            if (indptr[r + 1] < indptr[r]) {
                throw new InputFormatException(file, "'" + x.getPath() + "/indptr' decreases at row " + r
                        + "; the matrix is corrupt");
            }
        }
        long stored = data.getDimensionsAsLong()[0];
        if (stored != indptr[rows] || indices.getDimensionsAsLong()[0] != stored) {
            throw new InputFormatException(file, "'" + x.getPath() + "' has " + stored + " values and "
                    + indices.getDimensionsAsLong()[0] + " indices but indptr ends at " + indptr[rows]
                    + "; the matrix is corrupt");
        }
    }

    private Dataset child(Group g, String name) {
        Node n = g.getChildren().get(name);
        if (!(n instanceof Dataset d)) {
            throw new InputFormatException(file, "sparse matrix '" + g.getPath() + "' has no '" + name + "' dataset");
        }
        return d;
    }

    private static long[] shape(Path file, Group g) {
        Object s = g.getAttribute("shape") == null ? null : g.getAttribute("shape").getData();
        if (s instanceof long[] l && l.length == 2) {
            return l;
        }
        if (s instanceof int[] i && i.length == 2) {
            return new long[]{i[0], i[1]};
        }
        throw new InputFormatException(file, "sparse matrix '" + g.getPath() + "' has no two-element 'shape' attribute");
    }

    private static void closeQuietly(HdfFile hdf) {
        if (hdf != null) {
            hdf.close();
        }
    }
}

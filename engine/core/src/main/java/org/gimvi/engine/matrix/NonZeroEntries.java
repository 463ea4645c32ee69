package org.gimvi.engine.matrix;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;

/**
 * The non-zero entries of a dense row-major minibatch, kept both by row and by column: a small
 * compressed-rows plus compressed-columns copy. An expression minibatch is mostly zeros on a
 * whole-transcriptome reference, and the first layer of every encoder multiplies it by a weight
 * matrix; on this form those products ({@code kernels.SparseGemm}) and the log(1+x) before them skip
 * the zeros. The forward product reads the rows (one output row per cell), the weight gradient the
 * columns (one output row per gene).
 *
 * <p>Filled in two steps, so that an elementwise transform (log1p) runs once over the row-ordered
 * values in between: {@link #index} takes the positions and values by row, {@link #indexColumns}
 * then copies them by column. Sized once for the largest minibatch ({@code maxRows × cols} entries
 * per order), so indexing allocates nothing.
 */
public final class NonZeroEntries {
    private final int maxRows;
    private final int cols;
    private final int[] rowStart;     // row r's entries are [rowStart[r], rowStart[r + 1])
    private final int[] columns;
    private final float[] values;
    private final int[] columnStart;  // column p's entries are [columnStart[p], columnStart[p + 1])
    private final int[] rowsByColumn;
    private final float[] valuesByColumn;
    private int rows;

    public NonZeroEntries(int maxRows, int cols) {
        if (maxRows < 0 || cols < 0 || (long) maxRows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("NonZeroEntries: bad capacity " + maxRows + " × " + cols);
        }
        this.maxRows = maxRows;
        this.cols = cols;
        this.rowStart = new int[maxRows + 1];
        this.columns = new int[maxRows * cols];
        this.values = new float[maxRows * cols];
        this.columnStart = new int[cols + 1];
        this.rowsByColumn = new int[maxRows * cols];
        this.valuesByColumn = new float[maxRows * cols];
    }

    /**
     * Takes x's non-zero entries (its rows ≤ maxRows, its columns = cols) by row, in ascending column
     * order. The by-column order is stale until {@link #indexColumns}.
     */
    public void index(FMatrixRMaj x) {
        checkShape(x);
        float[] data = x.data;
        int k = 0;
        for (int r = 0; r < x.numRows; r++) {
            rowStart[r] = k;
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                // Branch-free (a data-dependent branch mispredicts at every density between 5 and 95 %):
                // always write the entry, advance only past a non-zero.
                float v = data[base + j];
                columns[k] = j;
                values[k] = v;
                k += nonZero(v);
            }
        }
        rows = x.numRows;
        rowStart[rows] = k;
    }

    /**
     * The first step of indexing x by row ranges (which may then run on different threads): checks
     * the shape and lays out the rows from their non-zero counts (counts[r] for each of x's rows,
     * as {@link #nonZero} counts them). {@link #indexRows} then fills any ranges; together they give
     * exactly {@link #index}'s entries.
     */
    public void beginIndex(FMatrixRMaj x, int[] counts) {
        checkShape(x);
        int k = 0;
        for (int r = 0; r < x.numRows; r++) {
            rowStart[r] = k;
            k += counts[r];
        }
        rows = x.numRows;
        rowStart[rows] = k;
    }

    /**
     * Fills rows [r0, r1) of x after {@link #beginIndex}. Writes only inside those rows' entries:
     * the branch-free loop stops at each row's last non-zero, so a trailing zero never writes into
     * the next row's first entry (which another thread may own). A count that does not match its row
     * is reported ({@link IllegalStateException}) once that row is written.
     */
    public void indexRows(FMatrixRMaj x, int r0, int r1) {
        float[] data = x.data;
        for (int r = r0; r < r1; r++) {
            int k = rowStart[r];
            int end = rowStart[r + 1];
            int base = r * cols;
            int last = cols - 1;
            while (last >= 0 && nonZero(data[base + last]) == 0) {
                last--;
            }
            for (int j = 0; j <= last; j++) {
                float v = data[base + j];
                columns[k] = j;
                values[k] = v;
                k += nonZero(v);
            }
            if (k != end) {
                throw new IllegalStateException("row " + r + " has " + (k - rowStart[r]) + " non-zero entries, "
                        + (end - rowStart[r]) + " were counted");
            }
        }
    }

    /** Copies the entries, with their current values, into the by-column order (rows ascending). */
    public void indexColumns() {
        int k = count();
        Arrays.fill(columnStart, 0);
        for (int q = 0; q < k; q++) {
            columnStart[columns[q] + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            columnStart[j + 1] += columnStart[j];
        }
        for (int r = 0; r < rows; r++) {
            for (int q = rowStart[r]; q < rowStart[r + 1]; q++) {
                int at = columnStart[columns[q]]++;
                rowsByColumn[at] = r;
                valuesByColumn[at] = values[q];
            }
        }
        for (int j = cols; j > 0; j--) { // the fill advanced every start to the next column's
            columnStart[j] = columnStart[j - 1];
        }
        columnStart[0] = 0;
    }

    private void checkShape(FMatrixRMaj x) {
        if (x.numCols != cols || x.numRows > maxRows) {
            throw new IllegalArgumentException("NonZeroEntries sized " + maxRows + " × " + cols + " cannot index a "
                    + x.numRows + " × " + x.numCols + " matrix");
        }
    }

    /**
     * 1 when v is not ±0, else 0, without a branch: the magnitude bits are 0 for ±0 only, and adding
     * 0x7FFFFFFF to any other magnitude carries into the sign bit. (NaN counts as non-zero.)
     */
    public static int nonZero(float v) {
        return ((Float.floatToRawIntBits(v) & 0x7FFFFFFF) + 0x7FFFFFFF) >>> 31;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of non-zero entries. */
    public int count() {
        return rowStart[rows];
    }

    /** Share of non-zero entries among rows × cols (0 for an empty matrix). */
    public double density() {
        long cells = (long) rows * cols;
        return cells == 0 ? 0 : count() / (double) cells;
    }

    /** Row r's entries are {@code columns()[q]}, {@code values()[q]} for q in [rowStart()[r], rowStart()[r + 1]). */
    public int[] rowStart() {
        return rowStart;
    }

    public int[] columns() {
        return columns;
    }

    /** The entries' values in row order (the caller may transform them in place before {@link #indexColumns}). */
    public float[] values() {
        return values;
    }

    /** Column p's entries are {@code rowsByColumn()[q]}, {@code valuesByColumn()[q]} for q in [columnStart()[p], columnStart()[p + 1]). */
    public int[] columnStart() {
        return columnStart;
    }

    public int[] rowsByColumn() {
        return rowsByColumn;
    }

    public float[] valuesByColumn() {
        return valuesByColumn;
    }
}

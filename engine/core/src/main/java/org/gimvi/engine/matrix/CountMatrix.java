package org.gimvi.engine.matrix;

/**
 * Cells × genes expression values, read one row at a time. The models copy rows into their
 * minibatch workspaces through this interface, so the storage (dense or sparse) is the dataset's
 * business, not the model's.
 */
public interface CountMatrix {
    int rows();

    int cols();

    /** Writes row {@code row} into {@code dst[off .. off+cols)} (zeros included). */
    void copyRow(int row, float[] dst, int off);

    /**
     * The row's stored entries, for passes that need not visit zeros: their columns into
     * {@code columns[0..n)} and values into {@code values[0..n)}; returns n. Both arrays need room for
     * {@link #cols()} entries; columns not listed are zero. A dense matrix stores every column, in
     * column order; a sparse one lists its stored entries in storage order (which may include
     * explicit zeros). A reference on disk is checked this way without densifying its rows.
     */
    default int copyRowEntries(int row, int[] columns, float[] values) {
        copyRow(row, values, 0);
        int n = cols();
        for (int j = 0; j < n; j++) {
            columns[j] = j;
        }
        return n;
    }

    /** Value at (row, col). */
    float get(int row, int col);

    /** The given rows in the given order, in the same storage (dense stays dense, sparse stays sparse). */
    CountMatrix selectRows(int[] rowIndex);

    /** Σ of a row over the given columns (null = all columns), in double. */
    default double rowSum(int row, int[] columns) {
        double s = 0;
        if (columns == null) {
            for (int j = 0; j < cols(); j++) {
                s += get(row, j);
            }
        } else {
            for (int j : columns) {
                s += get(row, j);
            }
        }
        return s;
    }

    /** Share of the entries that are not zero (how sparse the minibatches will be), over rows × cols. */
    default double nonZeroShare() {
        int[] columns = new int[cols()];
        float[] values = new float[cols()];
        long nonZero = 0;
        for (int i = 0; i < rows(); i++) {
            int n = copyRowEntries(i, columns, values);
            for (int k = 0; k < n; k++) {
                nonZero += values[k] != 0f ? 1 : 0;
            }
        }
        long cells = (long) rows() * cols();
        return cells == 0 ? 0 : nonZero / (double) cells;
    }
}

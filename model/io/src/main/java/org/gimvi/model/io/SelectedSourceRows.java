package org.gimvi.model.io;

import java.util.Arrays;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.gimvi.CellSource;

/**
 * Some rows of a file-backed source, in ascending order, still on disk: what the cell selection
 * (cells without counts on the panel left out) makes of a streamed reference, without copying it
 * into memory. Rows are read through the source; an epoch's order is the source's own order of the
 * same rows (so blocks stay the file's blocks and the draws are the source's), mapped back to this
 * view's row numbers.
 */
final class SelectedSourceRows implements CellSource {
    private final H5adCellSource source;
    private final int[] rows; // ascending rows of the source

    SelectedSourceRows(H5adCellSource source, int[] rows) {
        this.source = source;
        this.rows = rows;
    }

    /** True when {@code rowIndex} is strictly ascending within [0, sourceRows). */
    static boolean ascending(int[] rowIndex, int sourceRows) {
        for (int i = 0; i < rowIndex.length; i++) {
            if (rowIndex[i] < 0 || rowIndex[i] >= sourceRows || (i > 0 && rowIndex[i] <= rowIndex[i - 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void orderForEpoch(int[] cells, Rng rng) {
        for (int k = 0; k < cells.length; k++) {
            cells[k] = rows[cells[k]];
        }
        source.orderForEpoch(cells, rng);
        for (int k = 0; k < cells.length; k++) {
            cells[k] = Arrays.binarySearch(rows, cells[k]);
        }
    }

    @Override
    public int rows() {
        return rows.length;
    }

    @Override
    public int cols() {
        return source.cols();
    }

    @Override
    public void copyRow(int row, float[] dst, int off) {
        source.copyRow(rows[row], dst, off);
    }

    @Override
    public int copyRowEntries(int row, int[] columns, float[] values) {
        return source.copyRowEntries(rows[row], columns, values);
    }

    @Override
    public float get(int row, int col) {
        return source.get(rows[row], col);
    }

    @Override
    public double rowSum(int row, int[] columns) {
        return source.rowSum(rows[row], columns);
    }

    @Override
    public CountMatrix selectRows(int[] rowIndex) {
        int[] picked = new int[rowIndex.length];
        for (int i = 0; i < rowIndex.length; i++) {
            picked[i] = rows[rowIndex[i]];
        }
        return source.selectRows(picked);
    }
}

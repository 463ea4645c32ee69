package org.gimvi.engine.backend;

/** Shape checks of view operands shared by the CPU backends (one line naming the operation on a mismatch). */
final class ViewChecks {
    private ViewChecks() {
    }

    /** The view's column count, which must equal {@code cols}. */
    static int columns(TensorView table, int cols, String operation) {
        if (table.cols() != cols) {
            throw new IllegalArgumentException(operation + ": the table view has " + table.cols() + " columns, the rows "
                    + cols);
        }
        return cols;
    }

    /** {@code row}, which must be a row of the view (an index array pointing past the table would write a neighbour). */
    static int row(TensorView table, int row) {
        if (row < 0 || row >= table.rows()) {
            throw new IllegalArgumentException("row index " + row + " outside a table view of " + table.rows() + " rows");
        }
        return row;
    }
}

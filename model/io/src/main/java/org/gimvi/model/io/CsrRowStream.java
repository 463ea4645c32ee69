package org.gimvi.model.io;

/**
 * The rows of a sparse cells × genes matrix, produced on demand rather than held: what
 * {@link H5adWriter} writes as a CSR {@code X} in bounded memory. The writer makes two passes — the
 * first counts each row's entries (so every dataset's size is known before its values are written),
 * the second writes them — so every pass must produce the same rows (e.g. each row generated from
 * a seed and its index).
 */
public interface CsrRowStream {
    int rows();

    int cols();

    /** Starts a pass at row 0. */
    void restart();

    /**
     * The next row's stored entries: column indices into {@code columns[0..n)}, values into
     * {@code values[0..n)} (both have room for {@link #cols()} entries); returns n.
     */
    int next(int[] columns, float[] values);

    /** An in-memory CSR matrix's rows. */
    static CsrRowStream of(org.gimvi.engine.matrix.CsrMatrix m) {
        return new CsrRowStream() {
            private int row;

            @Override
            public int rows() {
                return m.rows();
            }

            @Override
            public int cols() {
                return m.cols();
            }

            @Override
            public void restart() {
                row = 0;
            }

            @Override
            public int next(int[] columns, float[] values) {
                return m.copyRowEntries(row++, columns, values);
            }
        };
    }
}

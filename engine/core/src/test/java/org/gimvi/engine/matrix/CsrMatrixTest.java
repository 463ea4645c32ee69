package org.gimvi.engine.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CsrMatrixTest {
    // 3 × 4:
    // [1 0 0 2]
    // [0 0 0 0]
    // [0 3 4 0]
    private static final float[] DENSE = {1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 4, 0};

    @Test
    void csrAndCscDescribeTheSameMatrix() {
        CsrMatrix csr = new CsrMatrix(3, 4, new int[]{0, 2, 2, 4}, new int[]{0, 3, 1, 2}, new float[]{1, 2, 3, 4});
        assertArrayEquals(DENSE, csr.toDense().data());
        CsrMatrix fromCsc = CsrMatrix.fromCsc(3, 4, new int[]{0, 1, 2, 3, 4}, new int[]{0, 2, 2, 0}, new float[]{1, 3, 4, 2});
        assertArrayEquals(DENSE, fromCsc.toDense().data());
        assertEquals(4f, csr.get(2, 2));
        assertEquals(0f, csr.get(1, 3));
        assertEquals(3.0, csr.rowSum(0, null));
        assertEquals(4.0, csr.rowSum(2, new int[]{2}));
        float[] row = {9, 9, 9, 9};
        csr.copyRow(1, row, 0);
        assertArrayEquals(new float[]{0, 0, 0, 0}, row);
        assertThrows(IllegalArgumentException.class, () -> new CsrMatrix(3, 4, new int[]{0, 1, 2}, new int[]{0}, new float[]{1}));
    }

    @Test
    void selectedRowsStaySparseAndMatchTheDenseSelection() {
        CsrMatrix csr = new CsrMatrix(3, 4, new int[]{0, 2, 2, 4}, new int[]{0, 3, 1, 2}, new float[]{1, 2, 3, 4});
        int[] rows = {2, 0, 2, 1};
        CsrMatrix picked = csr.selectRows(rows);
        assertEquals(6, picked.nonZeros());
        assertArrayEquals(new DenseCountMatrix(3, 4, DENSE).selectRows(rows).data(), picked.toDense().data());
        assertEquals(0, csr.selectRows(new int[0]).rows());
    }

    @Test
    void rowEntriesAreTheStoredValuesSparseAndEveryColumnDense() {
        CsrMatrix csr = new CsrMatrix(3, 4, new int[]{0, 2, 2, 4}, new int[]{0, 3, 1, 2}, new float[]{1, 2, 3, 4});
        int[] columns = new int[4];
        float[] values = new float[4];
        assertEquals(2, csr.copyRowEntries(2, columns, values));
        assertArrayEquals(new int[]{1, 2}, java.util.Arrays.copyOf(columns, 2));
        assertArrayEquals(new float[]{3, 4}, java.util.Arrays.copyOf(values, 2));
        assertEquals(0, csr.copyRowEntries(1, columns, values));
        DenseCountMatrix dense = new DenseCountMatrix(3, 4, DENSE);
        assertEquals(4, dense.copyRowEntries(0, columns, values));
        assertArrayEquals(new int[]{0, 1, 2, 3}, columns);
        assertArrayEquals(new float[]{1, 0, 0, 2}, values);
    }

    /** The share of non-zeros is the same for dense and CSR storage; a stored explicit zero is a zero. */
    @Test
    void nonZeroShareCountsValuesNotStoredEntries() {
        float[][] rows = {{0, 2, 0, 0}, {1, 0, 0, 3}, {0, 0, 0, 0}};
        DenseCountMatrix dense = DenseCountMatrix.zeros(3, 4);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                dense.set(i, j, rows[i][j]);
            }
        }
        // CSR with an explicit zero stored in row 2
        CsrMatrix csr = new CsrMatrix(3, 4, new int[] {0, 1, 3, 4}, new int[] {1, 0, 3, 2}, new float[] {2, 1, 3, 0});
        assertEquals(3 / 12.0, dense.nonZeroShare(), 1e-12);
        assertEquals(3 / 12.0, csr.nonZeroShare(), 1e-12);
    }
}

package org.gimvi.engine.matrix;

import java.util.Arrays;

/**
 * Compressed sparse rows (cells × genes): memory proportional to the non-zeros, so a 1M-cell ×
 * 30k-gene reference fits without densifying. Column indices within a row are ascending.
 */
public final class CsrMatrix implements CountMatrix {
    private final int rows;
    private final int cols;
    private final int[] indptr;
    private final int[] indices;
    private final float[] values;

    public CsrMatrix(int rows, int cols, int[] indptr, int[] indices, float[] values) {
        if (indptr.length != rows + 1 || indptr[0] != 0 || indptr[rows] != indices.length || indices.length != values.length) {
            throw new IllegalArgumentException("inconsistent CSR arrays: " + rows + " rows, indptr " + indptr.length
                    + " long ending at " + indptr[indptr.length - 1] + ", " + indices.length + " indices, " + values.length
                    + " values");
        }
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.values = values;
    }

    /** From compressed sparse columns (genes indexed by column), e.g. AnnData's csc_matrix. */
    public static CsrMatrix fromCsc(int rows, int cols, int[] colptr, int[] rowIndex, float[] data) {
        int nnz = data.length;
        int[] count = new int[rows + 1];
        for (int k = 0; k < nnz; k++) {
            count[rowIndex[k] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            count[i + 1] += count[i];
        }
        int[] ptr = count.clone();
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        for (int j = 0; j < cols; j++) {
            for (int k = colptr[j]; k < colptr[j + 1]; k++) {
                int dst = ptr[rowIndex[k]]++;
                idx[dst] = j;
                val[dst] = data[k];
            }
        }
        return new CsrMatrix(rows, cols, count, idx, val);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    public long nonZeros() {
        return values.length;
    }

    @Override
    public void copyRow(int row, float[] dst, int off) {
        Arrays.fill(dst, off, off + cols, 0f);
        for (int k = indptr[row]; k < indptr[row + 1]; k++) {
            dst[off + indices[k]] = values[k];
        }
    }

    @Override
    public int copyRowEntries(int row, int[] columns, float[] values) {
        int from = indptr[row];
        int n = indptr[row + 1] - from;
        System.arraycopy(indices, from, columns, 0, n);
        System.arraycopy(this.values, from, values, 0, n);
        return n;
    }

    @Override
    public float get(int row, int col) {
        int k = Arrays.binarySearch(indices, indptr[row], indptr[row + 1], col);
        return k >= 0 ? values[k] : 0f;
    }

    @Override
    public double rowSum(int row, int[] columns) {
        double s = 0;
        if (columns == null) {
            for (int k = indptr[row]; k < indptr[row + 1]; k++) {
                s += values[k];
            }
            return s;
        }
        for (int c : columns) {
            s += get(row, c);
        }
        return s;
    }

    /** Row pointers (length rows + 1); shared, not copied. */
    public int[] indptr() {
        return indptr;
    }

    /** Column index of each stored value; shared, not copied. */
    public int[] indices() {
        return indices;
    }

    /** The stored values (for validation passes that need not visit zeros). */
    public float[] values() {
        return values;
    }

    /** The given rows, in the given order, still sparse. */
    @Override
    public CsrMatrix selectRows(int[] rowIndex) {
        int[] ptr = new int[rowIndex.length + 1];
        for (int i = 0; i < rowIndex.length; i++) {
            int r = rowIndex[i];
            ptr[i + 1] = ptr[i] + (indptr[r + 1] - indptr[r]);
        }
        int[] idx = new int[ptr[rowIndex.length]];
        float[] val = new float[idx.length];
        for (int i = 0; i < rowIndex.length; i++) {
            int r = rowIndex[i];
            int n = indptr[r + 1] - indptr[r];
            System.arraycopy(indices, indptr[r], idx, ptr[i], n);
            System.arraycopy(values, indptr[r], val, ptr[i], n);
        }
        return new CsrMatrix(rowIndex.length, cols, ptr, idx, val);
    }

    public DenseCountMatrix toDense() {
        DenseCountMatrix d = DenseCountMatrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            copyRow(i, d.data(), i * cols);
        }
        return d;
    }
}

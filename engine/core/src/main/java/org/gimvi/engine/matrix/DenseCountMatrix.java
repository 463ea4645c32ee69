package org.gimvi.engine.matrix;

import java.util.Arrays;

/** Row-major dense float32 matrix of counts (or other expression values). */
public final class DenseCountMatrix implements CountMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    public DenseCountMatrix(int rows, int cols, float[] data) {
        if (rows < 0 || cols < 0 || data.length < (long) rows * cols) {
            throw new IllegalArgumentException("dense matrix " + rows + "x" + cols + " needs " + ((long) rows * cols)
                    + " values, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    public static DenseCountMatrix zeros(int rows, int cols) {
        return new DenseCountMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
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
    public void copyRow(int row, float[] dst, int off) {
        System.arraycopy(data, row * cols, dst, off, cols);
    }

    @Override
    public float get(int row, int col) {
        return data[row * cols + col];
    }

    public void set(int row, int col, float v) {
        data[row * cols + col] = v;
    }

    /** The backing array (row-major); shared, not copied. */
    public float[] data() {
        return data;
    }

    /** A new matrix with the given rows, in the given order. */
    @Override
    public DenseCountMatrix selectRows(int[] rowIndex) {
        float[] out = new float[rowIndex.length * cols];
        for (int i = 0; i < rowIndex.length; i++) {
            System.arraycopy(data, rowIndex[i] * cols, out, i * cols, cols);
        }
        return new DenseCountMatrix(rowIndex.length, cols, out);
    }

    /** A new matrix with the given columns, in the given order. */
    public DenseCountMatrix selectColumns(int[] colIndex) {
        float[] out = new float[rows * colIndex.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < colIndex.length; j++) {
                out[i * colIndex.length + j] = data[i * cols + colIndex[j]];
            }
        }
        return new DenseCountMatrix(rows, colIndex.length, out);
    }

    @Override
    public String toString() {
        return "DenseCountMatrix[" + rows + "x" + cols + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseCountMatrix d && d.rows == rows && d.cols == cols && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }
}

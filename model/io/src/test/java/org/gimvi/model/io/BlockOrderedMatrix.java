package org.gimvi.model.io;

import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.gimvi.BlockShuffle;
import org.gimvi.model.gimvi.CellSource;

/** An in-memory matrix visited in the file-backed source's block order: its twin for equality tests. */
final class BlockOrderedMatrix implements CellSource {
    private final CountMatrix m;
    private final BlockShuffle shuffle;

    BlockOrderedMatrix(CountMatrix m, int blockRows) {
        this.m = m;
        this.shuffle = new BlockShuffle(blockRows);
    }

    @Override
    public void orderForEpoch(int[] cells, Rng rng) {
        shuffle.order(cells, rng);
    }

    @Override
    public int rows() {
        return m.rows();
    }

    @Override
    public int cols() {
        return m.cols();
    }

    @Override
    public void copyRow(int row, float[] dst, int off) {
        m.copyRow(row, dst, off);
    }

    @Override
    public float get(int row, int col) {
        return m.get(row, col);
    }

    @Override
    public CountMatrix selectRows(int[] rowIndex) {
        return m.selectRows(rowIndex);
    }

    @Override
    public double rowSum(int row, int[] columns) {
        return m.rowSum(row, columns);
    }
}

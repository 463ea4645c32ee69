package org.gimvi.model.gimvi;

import java.util.Arrays;
import org.gimvi.engine.random.Rng;

/**
 * The epoch order of a file-backed {@link CellSource}: rows are grouped into blocks of
 * {@code blockRows} consecutive rows of the file (block b = rows [b·blockRows, (b+1)·blockRows));
 * an epoch visits the blocks in a seeded random order and, within each block, its cells in a
 * seeded random order. A minibatch therefore touches at most two neighbouring blocks, so a reader
 * holding one block in memory reads the file front to back within each block. Draws, in order: one
 * Fisher–Yates shuffle of the blocks present, then one of each block's cells, blocks in visiting
 * order, all from the given stream. When every cell lies in one block there is no read order to
 * keep, and the cells get the uniform in-place shuffle an in-memory matrix gets (the same draws on
 * the same array), so a reference small enough for one block trains exactly as it does in memory.
 * Scratch arrays are kept, so an epoch allocates nothing once
 * they have grown to size.
 */
public final class BlockShuffle {
    private final int blockRows;
    private int[] blockStart = new int[0]; // start of each block's run in the sorted cells
    private int[] blockOrder = new int[0];
    private int[] sorted = new int[0];

    public BlockShuffle(int blockRows) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("block rows must be at least 1, got " + blockRows);
        }
        this.blockRows = blockRows;
    }

    public int blockRows() {
        return blockRows;
    }

    /** Reorders {@code cells} (row indices, any order, no duplicates) in place. */
    public void order(int[] cells, Rng rng) {
        int n = cells.length;
        if (oneBlock(cells)) {
            rng.shuffle(cells, n);
            return;
        }
        if (sorted.length < n) {
            sorted = new int[n];
            blockStart = new int[n + 1];
            blockOrder = new int[n];
        }
        System.arraycopy(cells, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || sorted[i] / blockRows != sorted[i - 1] / blockRows) {
                blockStart[blocks++] = i;
            }
        }
        blockStart[blocks] = n;
        for (int b = 0; b < blocks; b++) {
            blockOrder[b] = b;
        }
        rng.shuffle(blockOrder, blocks);
        int at = 0;
        for (int k = 0; k < blocks; k++) {
            int b = blockOrder[k];
            int from = blockStart[b];
            int len = blockStart[b + 1] - from;
            System.arraycopy(sorted, from, cells, at, len);
            shuffleRange(cells, at, len, rng);
            at += len;
        }
    }

    private boolean oneBlock(int[] cells) {
        for (int i = 1; i < cells.length; i++) {
            if (cells[i] / blockRows != cells[0] / blockRows) {
                return false;
            }
        }
        return true;
    }

    private static void shuffleRange(int[] a, int from, int len, Rng rng) {
        for (int i = len - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[from + i];
            a[from + i] = a[from + j];
            a[from + j] = t;
        }
    }
}

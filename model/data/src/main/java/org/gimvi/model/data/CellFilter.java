package org.gimvi.model.data;

import java.util.Arrays;
import org.gimvi.engine.matrix.CountMatrix;

/** Selecting cells by their counts. */
public final class CellFilter {
    private CellFilter() {
    }

    /** Rows whose sum over {@code columns} (null = all) is positive, in order. */
    public static int[] nonEmptyRows(CountMatrix x, int[] columns) {
        int[] keep = new int[x.rows()];
        int k = 0;
        for (int i = 0; i < x.rows(); i++) {
            if (x.rowSum(i, columns) > 0) {
                keep[k++] = i;
            }
        }
        return Arrays.copyOf(keep, k);
    }
}

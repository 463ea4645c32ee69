package org.gimvi.model.data;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import org.gimvi.engine.matrix.CountMatrix;

/**
 * Checks a dataset's values before anything filters or models them, so that a NaN, an infinity or
 * a negative count is refused with the file, the cell and the gene named — never silently turned
 * into "a cell with no counts" and dropped.
 */
public final class CountValues {
    private CountValues() {
    }

    /** Which values are legal besides finite ones. */
    public enum Sign {
        /** Counts (count likelihoods): every value ≥ 0. */
        NON_NEGATIVE,
        /** Continuous data (e.g. the gaussian likelihood): any finite value. */
        ANY
    }

    /**
     * One pass over the rows, each read as its stored entries (a sparse matrix, in memory or on
     * disk, is not densified). A non-finite value anywhere is reported before any negative one (the
     * first of each kind in row order, a row's entries in storage order).
     *
     * @param source the file (or dataset) name the message starts with
     * @throws IllegalArgumentException naming the first offending cell and gene
     */
    public static void check(CountMatrix x, String[] genes, String[] cells, String source, Sign sign) {
        int[] columns = new int[x.cols()];
        float[] values = new float[x.cols()];
        int negativeCell = -1;
        int negativeGene = -1;
        float negative = 0;
        for (int i = 0; i < x.rows(); i++) {
            int n = x.copyRowEntries(i, columns, values);
            for (int k = 0; k < n; k++) {
                float v = values[k];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(where(source, cells, i, genes, columns[k]) + " is " + v
                            + "; every value must be a finite number — fill or drop missing values before imputation");
                }
                if (v < 0 && sign == Sign.NON_NEGATIVE && negativeCell < 0) {
                    negativeCell = i;
                    negativeGene = columns[k];
                    negative = v;
                }
            }
        }
        if (negativeCell >= 0) {
            throw new IllegalArgumentException(where(source, cells, negativeCell, genes, negativeGene) + " is negative ("
                    + negative + "); count likelihoods need raw counts ≥ 0 (for continuous data such as z-scores "
                    + "choose the gaussian likelihood)");
        }
    }

    private static String where(String source, String[] cells, int cell, String[] genes, int gene) {
        return source + ": cell '" + cells[cell] + "' (row " + (cell + 1) + "), gene '" + genes[gene] + "'";
    }

    /** Refuses duplicate cell names: outputs are matched back to inputs by name. */
    public static void checkUniqueCells(String[] cells, String source) {
        Object2IntOpenHashMap<String> seen = new Object2IntOpenHashMap<>(cells.length);
        seen.defaultReturnValue(-1);
        for (int i = 0; i < cells.length; i++) {
            int first = seen.putIfAbsent(cells[i], i);
            if (first != -1) {
                throw new IllegalArgumentException(source + ": cell name '" + cells[i] + "' appears twice (rows "
                        + (first + 1) + " and " + (i + 1) + "); cell names must be unique so outputs match inputs");
            }
        }
    }
}

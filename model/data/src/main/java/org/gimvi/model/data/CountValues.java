package org.gimvi.model.data;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.CsrMatrix;

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
     * @param source the file (or dataset) name the message starts with
     * @throws IllegalArgumentException naming the first offending cell and gene
     */
    public static void check(CountMatrix x, String[] genes, String[] cells, String source, Sign sign) {
        if (x instanceof CsrMatrix csr) {
            int[] indptr = csr.indptr();
            for (int i = 0; i < csr.rows(); i++) {
                for (int k = indptr[i]; k < indptr[i + 1]; k++) {
                    checkOne(csr.values()[k], i, csr.indices()[k], genes, cells, source, sign);
                }
            }
            return;
        }
        float[] row = new float[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            x.copyRow(i, row, 0);
            for (int j = 0; j < row.length; j++) {
                checkOne(row[j], i, j, genes, cells, source, sign);
            }
        }
    }

    private static void checkOne(float v, int cell, int gene, String[] genes, String[] cells, String source,
                                 Sign sign) {
        if (Float.isFinite(v) && (v >= 0 || sign == Sign.ANY)) {
            return;
        }
        String where = source + ": cell '" + cells[cell] + "' (row " + (cell + 1) + "), gene '" + genes[gene] + "'";
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(where + " is " + v + "; every value must be a finite number — "
                    + "fill or drop missing values before imputation");
        }
        throw new IllegalArgumentException(where + " is negative (" + v + "); count likelihoods need raw counts ≥ 0 "
                + "(for continuous data such as z-scores choose the gaussian likelihood)");
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

package org.gimvi.model.data;

import java.util.Locale;
import java.util.List;
import org.gimvi.engine.matrix.CountMatrix;

/**
 * Which cells a method can use: the one place the rule lives. A cell is used when it has counts on
 * the genes that link the two datasets — every set of training genes it will be given (the
 * benchmark's protocols hide different genes in different splits; the same cells serve them all, so
 * every split's predictions have one row set). Methods normalise by those totals and gimVI's
 * library size is their logarithm, so a cell without them has nothing to contribute.
 *
 * @param spatialRows   spatial cells kept, in input order
 * @param referenceRows reference cells kept, in input order
 */
public record CellSelection(int[] spatialRows, int[] referenceRows, int spatialCells, int referenceCells) {

    /**
     * Which cells of one dataset can be used. Count likelihoods need a positive total (the library
     * size is its logarithm); continuous data (e.g. the gaussian likelihood) may legally sum to zero
     * or less, so those cells are not "empty" and are all kept.
     */
    public enum Rule {
        /** Keep cells with a positive total over the training genes. */
        POSITIVE_TOTAL,
        /** Keep every cell. */
        ALL_CELLS
    }

    /**
     * @param trainingSets panel positions of each set of training genes (the whole panel when a
     *                     command imputes with every shared gene)
     */
    public static CellSelection of(CountMatrix reference, CountMatrix spatial, SharedPanel panel,
                                   List<int[]> trainingSets) {
        return of(reference, Rule.POSITIVE_TOTAL, spatial, Rule.POSITIVE_TOTAL, panel, trainingSets);
    }

    /** As {@link #of(CountMatrix, CountMatrix, SharedPanel, List)}, with each dataset's rule. */
    public static CellSelection of(CountMatrix reference, Rule referenceRule, CountMatrix spatial, Rule spatialRule,
                                   SharedPanel panel, List<int[]> trainingSets) {
        boolean[] keepSpatial = all(spatial.rows());
        boolean[] keepReference = all(reference.rows());
        for (int[] training : trainingSets) {
            if (spatialRule == Rule.POSITIVE_TOTAL) {
                keepOnly(keepSpatial, CellFilter.nonEmptyRows(spatial, panel.spatialColumns(training)));
            }
            if (referenceRule == Rule.POSITIVE_TOTAL) {
                keepOnly(keepReference, CellFilter.nonEmptyRows(reference, panel.referenceColumns(training)));
            }
        }
        return new CellSelection(indices(keepSpatial), indices(keepReference), spatial.rows(), reference.rows());
    }

    public boolean removedAny() {
        return spatialRows.length < spatialCells || referenceRows.length < referenceCells;
    }

    /** One line for the user. */
    public String summary() {
        return String.format(Locale.ROOT, "spatial cells %d of %d kept, reference cells %d of %d kept (cells with no "
                + "counts on the training genes removed)", spatialRows.length, spatialCells, referenceRows.length,
                referenceCells);
    }

    private static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    private static void keepOnly(boolean[] keep, int[] nonEmpty) {
        boolean[] ok = new boolean[keep.length];
        for (int i : nonEmpty) {
            ok[i] = true;
        }
        for (int i = 0; i < keep.length; i++) {
            keep[i] &= ok[i];
        }
    }

    private static int[] indices(boolean[] keep) {
        int n = 0;
        for (boolean b : keep) {
            n += b ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}

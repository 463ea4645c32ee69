package org.gimvi.model.baselines.preprocess;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;

/**
 * Highly variable genes by dispersion (variance / mean of library-size-normalised expression, the
 * quantity Seurat's "dispersion" and scanpy's flavour "seurat" rank by, without their mean binning).
 * Genes with zero mean have no dispersion and are never selected. Ties are broken by column index,
 * so the selection is deterministic.
 */
public final class HighlyVariableGenes {
    private HighlyVariableGenes() {
    }

    /** Per column, sample variance / mean (0 for a zero-mean column). */
    public static double[] dispersion(DMatrixRMaj normalised) {
        int n = normalised.numRows;
        int d = normalised.numCols;
        if (n < 2) {
            throw new IllegalArgumentException("dispersion needs at least 2 cells, got " + n);
        }
        double[] mean = new double[d];
        double[] var = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += normalised.data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = normalised.data[i * d + j] - mean[j];
                var[j] += c * c;
            }
        }
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = mean[j] > 0 ? var[j] / (n - 1) / mean[j] : 0;
        }
        return out;
    }

    /** The {@code top} columns of highest dispersion (fewer if fewer genes have a positive mean), by rank. */
    public static int[] select(DMatrixRMaj normalised, int top) {
        if (top < 1) {
            throw new IllegalArgumentException("highly variable genes: top must be at least 1, got " + top);
        }
        double[] disp = dispersion(normalised);
        return java.util.stream.IntStream.range(0, disp.length)
                .filter(j -> disp[j] > 0)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -disp[j]).thenComparingInt(j -> j))
                .limit(top)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** The same selection as sorted column indices, for subsetting in the original gene order. */
    public static int[] selectInOrder(DMatrixRMaj normalised, int top) {
        int[] s = select(normalised, top);
        Arrays.sort(s);
        return s;
    }
}

package org.gimvi.model.baselines.preprocess;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Per-gene z-scoring (columns of a cells × genes matrix). Genes without variance cannot be scaled —
 * dividing by a zero standard deviation is what turns other implementations' outputs into NaN — so
 * they are dropped and reported: {@link Fit#kept()} and {@link Fit#dropped()} are column indices
 * into the input.
 */
public final class GeneStandardisation {
    /** Population standard deviation (divide by n), as scipy.stats.zscore and SpaGE. */
    public static final int POPULATION = 0;
    /** Sample standard deviation (divide by n − 1), as R's scale and Seurat's ScaleData. */
    public static final int SAMPLE = 1;

    private GeneStandardisation() {
    }

    /**
     * @param mean    per input column
     * @param sd      per input column (0 for dropped columns)
     * @param kept    input columns with variance, ascending
     * @param dropped input columns without variance, ascending
     */
    public record Fit(double[] mean, double[] sd, int[] kept, int[] dropped) {
        /** The names of the dropped columns, for a report. */
        public String droppedNames(String[] names) {
            StringBuilder b = new StringBuilder();
            for (int c : dropped) {
                b.append(b.length() == 0 ? "" : ", ").append(names[c]);
            }
            return b.toString();
        }
    }

    /** Column means and standard deviations with {@code ddof} ∈ {0, 1}; two passes for accuracy. */
    public static Fit fit(DMatrixRMaj x, int ddof) {
        int n = x.numRows;
        int d = x.numCols;
        if (n - ddof < 1) {
            throw new IllegalArgumentException("z-scoring needs at least " + (ddof + 1) + " cells, got " + n);
        }
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x.data[i * d + j] - mean[j];
                sd[j] += c * c;
            }
        }
        int[] kept = new int[d];
        int[] dropped = new int[d];
        int nk = 0;
        int nd = 0;
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / (n - ddof));
            // a constant column's mean is not always exact in floating point; relative tolerance
            if (sd[j] <= 1e-12 * Math.max(1, Math.abs(mean[j]))) {
                sd[j] = 0;
                dropped[nd++] = j;
            } else {
                kept[nk++] = j;
            }
        }
        return new Fit(mean, sd, Arrays.copyOf(kept, nk), Arrays.copyOf(dropped, nd));
    }

    /**
     * out (cells × kept) = (x − mean) / sd over the kept columns, optionally clipped to ±{@code clip}
     * (Seurat's scale.max; pass {@link Double#POSITIVE_INFINITY} for none).
     */
    public static void apply(DMatrixRMaj x, Fit fit, double clip, DMatrixRMaj out) {
        int[] kept = fit.kept();
        int d = x.numCols;
        int k = kept.length;
        out.reshape(x.numRows, k);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < k; j++) {
                int c = kept[j];
                double z = (x.data[i * d + c] - fit.mean()[c]) / fit.sd()[c];
                out.data[i * k + j] = Math.max(-clip, Math.min(clip, z));
            }
        }
    }

    /** The columns kept in both fits (variance in both datasets), ascending. */
    public static int[] keptInBoth(Fit a, Fit b) {
        return Arrays.stream(a.kept()).filter(c -> Arrays.binarySearch(b.kept(), c) >= 0).toArray();
    }

    /** Standardises the given columns of x with a fit, into cells × cols (clip as in {@link #apply}). */
    public static DMatrixRMaj applyColumns(DMatrixRMaj x, Fit fit, int[] cols, double clip) {
        int d = x.numCols;
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, cols.length);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < cols.length; j++) {
                int c = cols[j];
                if (fit.sd()[c] == 0) {
                    throw new IllegalArgumentException("column " + c + " has no variance and cannot be standardised");
                }
                double z = (x.data[i * d + c] - fit.mean()[c]) / fit.sd()[c];
                out.data[i * cols.length + j] = Math.max(-clip, Math.min(clip, z));
            }
        }
        return out;
    }
}

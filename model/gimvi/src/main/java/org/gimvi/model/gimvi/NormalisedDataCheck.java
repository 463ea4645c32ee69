package org.gimvi.model.gimvi;

import java.util.Locale;
import org.gimvi.engine.matrix.CountMatrix;

/**
 * Spots integer-valued data that are nevertheless not raw counts, such as quantile-normalised
 * panels (seqFISH of Zhu et al. 2018 is integers 0–101). Raw counts of cells vary a lot in size and
 * contain many zeros; normalisation removes both. Measured on the shared datasets: raw counts have a
 * coefficient of variation of cell totals of 0.57–2.5 and 30–76% zeros; the quantile-normalised ones
 * 0.02–0.13 and under 0.2% zeros. Refused: CV below 0.2 together with under 1% zeros, on at least 50
 * cells and 10 genes (fewer cannot tell).
 */
public final class NormalisedDataCheck {
    private NormalisedDataCheck() {
    }

    /** Why the matrix looks normalised, or null when it looks like counts (or is too small to tell). */
    public static String reason(CountMatrix x) {
        Tally tally = new Tally(x.cols());
        if (!tally.canTell(x.rows())) {
            return null;
        }
        int[] columns = new int[x.cols()];
        float[] values = new float[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            int n = x.copyRowEntries(i, columns, values);
            double total = 0;
            long zeros = x.cols() - (long) n;
            for (int k = 0; k < n; k++) {
                total += values[k];
                zeros += values[k] == 0f ? 1 : 0;
            }
            tally.addCell(total, zeros);
        }
        return tally.reason();
    }

    /**
     * The statistics the check needs, gathered one cell at a time, so a pass that reads the rows
     * anyway (the input checks) decides it without a second read.
     */
    public static final class Tally {
        private final int genes;
        private long cells;
        private double sum;
        private double sumSq;
        private long zeros;

        public Tally(int genes) {
            this.genes = genes;
        }

        /** Whether a matrix of this many cells (and this tally's genes) is large enough to tell. */
        public boolean canTell(long rows) {
            return rows >= 50 && genes >= 10;
        }

        /** One cell: its total and how many of its genes are zero. */
        public void addCell(double total, long zeroGenes) {
            cells++;
            sum += total;
            sumSq += total * total;
            zeros += zeroGenes;
        }

        /** Why the cells added look normalised, or null (counts, or too few to tell). */
        public String reason() {
            if (!canTell(cells)) {
                return null;
            }
            double mean = sum / cells;
            double cv = mean > 0 ? Math.sqrt(Math.max(0, sumSq / cells - mean * mean)) / mean : 0;
            double zeroFraction = zeros / ((double) cells * genes);
            if (cv < 0.2 && zeroFraction < 0.01) {
                return String.format(Locale.ROOT, "cell totals vary by only %.1f%% (raw counts vary by 50%% or more) "
                        + "and only %.2f%% of values are zero", 100 * cv, 100 * zeroFraction);
            }
            return null;
        }
    }
}

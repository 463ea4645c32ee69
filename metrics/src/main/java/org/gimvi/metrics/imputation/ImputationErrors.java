package org.gimvi.metrics.imputation;

import java.util.Arrays;

/**
 * The gimVI paper's secondary imputation scores (metrics.md §1): the relative change δρ of per-gene
 * Spearman against a reference method, absolute errors per gene and relative errors per cell.
 */
public final class ImputationErrors {
    private ImputationErrors() {
    }

    /**
     * δρ_g = (ρ_g − ρ_ref,g) / |ρ_ref,g|; the median over genes, in percent. Genes with ρ_ref = 0 are
     * skipped and counted.
     */
    public record DeltaRho(double medianPercent, int genes, int skipped) {
    }

    public static DeltaRho deltaRho(double[] rho, double[] rhoReference) {
        if (rho.length != rhoReference.length) {
            throw new IllegalArgumentException("δρ needs the same genes for both methods: " + rho.length + " vs "
                    + rhoReference.length);
        }
        double[] d = new double[rho.length];
        int k = 0;
        int skipped = 0;
        for (int g = 0; g < rho.length; g++) {
            if (rhoReference[g] == 0 || !Double.isFinite(rhoReference[g]) || !Double.isFinite(rho[g])) {
                skipped++;
                continue;
            }
            d[k++] = (rho[g] - rhoReference[g]) / Math.abs(rhoReference[g]);
        }
        double median = Correlation.median(Arrays.copyOf(d, k));
        return new DeltaRho(100 * median, k, skipped);
    }

    /** Median over cells of |truth − prediction|, per gene (columns of cells × genes arrays). */
    public static double[] medianAbsoluteErrorPerGene(double[] truth, double[] pred, int cells, int genes) {
        double[] out = new double[genes];
        double[] col = new double[cells];
        for (int g = 0; g < genes; g++) {
            for (int i = 0; i < cells; i++) {
                col[i] = Math.abs(truth[i * genes + g] - pred[i * genes + g]);
            }
            out[g] = Correlation.median(col);
        }
        return out;
    }

    /** Relative error |o − i| / max(|o|, 1) over every cell and gene: {mean, median}. */
    public static double[] relativeError(double[] truth, double[] pred) {
        double[] r = new double[truth.length];
        double sum = 0;
        for (int e = 0; e < truth.length; e++) {
            r[e] = Math.abs(truth[e] - pred[e]) / Math.max(Math.abs(truth[e]), 1);
            sum += r[e];
        }
        return new double[]{sum / truth.length, Correlation.median(r)};
    }
}

package org.gimvi.metrics.benchmark;

import org.gimvi.metrics.imputation.Correlation;

/**
 * The Li et al. 2022 scores of one prediction matrix against the truth (cells × genes, same order),
 * per gene and as gene means. Genes whose metrics are undefined (a constant or all-zero column) are
 * counted and reported; for the means they take the reference code's convention (0), so the numbers
 * stay comparable with published ones while the report says how many genes were affected.
 */
public final class LiBenchmarkScores {
    private final double[] pcc;
    private final double[] ssim;
    private final double[] rmse;
    private final double[] js;
    private final int undefinedGenes;

    private LiBenchmarkScores(double[] pcc, double[] ssim, double[] rmse, double[] js, int undefinedGenes) {
        this.pcc = pcc;
        this.ssim = ssim;
        this.rmse = rmse;
        this.js = js;
        this.undefinedGenes = undefinedGenes;
    }

    /** @param truth and prediction: cells × genes, row-major */
    public static LiBenchmarkScores of(double[] truth, double[] prediction, int cells, int genes) {
        double[] pcc = new double[genes];
        double[] ssim = new double[genes];
        double[] rmse = new double[genes];
        double[] js = new double[genes];
        int undefined = 0;
        double[] t = new double[cells];
        double[] p = new double[cells];
        for (int g = 0; g < genes; g++) {
            for (int i = 0; i < cells; i++) {
                t[i] = truth[i * genes + g];
                p[i] = prediction[i * genes + g];
                if (!Double.isFinite(p[i])) {
                    p[i] = 1e-20; // the reference's fill for missing predictions
                }
            }
            pcc[g] = GeneMetrics.pcc(t, p);
            ssim[g] = GeneMetrics.ssim(t, p);
            rmse[g] = GeneMetrics.rmse(t, p);
            js[g] = GeneMetrics.js(t, p);
            if (Double.isNaN(pcc[g]) || Double.isNaN(ssim[g]) || Double.isNaN(rmse[g]) || Double.isNaN(js[g])) {
                undefined++;
            }
        }
        return new LiBenchmarkScores(pcc, ssim, rmse, js, undefined);
    }

    public double[] pcc() {
        return pcc.clone();
    }

    public double[] ssim() {
        return ssim.clone();
    }

    public double[] rmse() {
        return rmse.clone();
    }

    public double[] js() {
        return js.clone();
    }

    /** Genes with at least one undefined metric (constant or all-zero truth or prediction). */
    public int undefinedGenes() {
        return undefinedGenes;
    }

    /** Gene mean with undefined values counted as 0 (the reference code's convention). */
    public static double meanWithReferenceFill(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Double.isNaN(x) ? 0 : x;
        }
        return s / v.length;
    }

    public AccuracyScore.MethodMeans means(String method) {
        return new AccuracyScore.MethodMeans(method, meanWithReferenceFill(pcc), meanWithReferenceFill(ssim),
                meanWithReferenceFill(rmse), meanWithReferenceFill(js));
    }

    /** Convenience for single columns. */
    public static double spearman(double[] t, double[] p) {
        return Correlation.spearman(t, p);
    }
}

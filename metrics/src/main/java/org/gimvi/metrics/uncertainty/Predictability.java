package org.gimvi.metrics.uncertainty;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * How predictable a gene is from other genes on scRNA-seq alone (the gimVI paper's Figure 3): after
 * log(1 + 10⁴·x / library) normalisation, a least-squares regression (with intercept) of the gene on
 * the training genes; the residual RMSE. Genes that are hard to predict here are the ones whose
 * imputations should carry high uncertainty.
 */
public final class Predictability {
    private Predictability() {
    }

    /**
     * @param counts  cells × genes scRNA-seq counts, row-major
     * @param library per cell, the total used for normalisation (usually over the training genes)
     * @param training columns used as predictors
     * @param target   column to predict
     */
    public static double residualRmse(float[] counts, int cells, int genes, double[] library, int[] training, int target) {
        int p = training.length + 1;
        DMatrixRMaj x = new DMatrixRMaj(cells, p);
        DMatrixRMaj y = new DMatrixRMaj(cells, 1);
        for (int i = 0; i < cells; i++) {
            double scale = library[i] > 0 ? 1e4 / library[i] : 0;
            x.set(i, 0, 1.0);
            for (int j = 0; j < training.length; j++) {
                x.set(i, j + 1, Math.log1p(counts[i * genes + training[j]] * scale));
            }
            y.set(i, 0, Math.log1p(counts[i * genes + target] * scale));
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquaresQrPivot(true, false);
        if (!solver.setA(x)) {
            throw new IllegalArgumentException("least squares failed: the training genes are degenerate on these cells");
        }
        DMatrixRMaj beta = new DMatrixRMaj(p, 1);
        solver.solve(y, beta);
        double ss = 0;
        for (int i = 0; i < cells; i++) {
            double fit = 0;
            for (int j = 0; j < p; j++) {
                fit += x.get(i, j) * beta.get(j, 0);
            }
            double r = y.get(i, 0) - fit;
            ss += r * r;
        }
        return Math.sqrt(ss / cells);
    }

    /** Per-gene uncertainty: the mean over cells of the per-cell standard deviation over posterior samples. */
    public static double[] meanStdPerGene(float[] std, int cells, int genes) {
        double[] out = new double[genes];
        for (int i = 0; i < cells; i++) {
            for (int g = 0; g < genes; g++) {
                out[g] += std[i * genes + g];
            }
        }
        for (int g = 0; g < genes; g++) {
            out[g] /= cells;
        }
        return out;
    }
}

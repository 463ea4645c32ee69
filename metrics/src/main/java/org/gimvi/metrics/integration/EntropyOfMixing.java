package org.gimvi.metrics.integration;

import java.util.Arrays;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * The gimVI paper's entropy of batch mixing, generalised to unbalanced datasets as a negative KL
 * divergence (metrics.md §2): with q the global fraction of cells from dataset 1, sample cells (2,000
 * by default, seeded); for each, p_k = the fraction of its k nearest neighbours in the joint latent
 * space (Euclidean, the cell itself being its own first neighbour) from dataset 1;
 * KL_k = p log(p/q) + (1−p) log((1−p)/(1−q)) with 0·log 0 = 0. The curve is 1 − median KL against k;
 * its summary is the trapezoid integral over k ∈ [50, 1000] divided by 950.
 */
public final class EntropyOfMixing {
    private EntropyOfMixing() {
    }

    public static final int DEFAULT_SAMPLES = 2000;

    /**
     * @param latent  n × d joint latent positions (rows: all cells of both datasets)
     * @param dataset per cell, 0 or 1
     */
    public static Curve compute(float[] latent, int n, int d, int[] dataset, int[] kGrid, int samples, Rng rng) {
        int ones = 0;
        for (int v : dataset) {
            ones += v == 1 ? 1 : 0;
        }
        double q = ones / (double) n;
        int[] cells = sample(n, samples, rng);
        float[] queries = new float[cells.length * d];
        for (int i = 0; i < cells.length; i++) {
            System.arraycopy(latent, cells[i] * d, queries, i * d, d);
        }
        int kMax = Math.min(n, kGrid[kGrid.length - 1]);
        KnnResult nn = ExactKnn.search(queries, cells.length, latent, n, d, kMax, KnnMetric.EUCLIDEAN, false,
                WorkerPool.shared());
        double[] median = new double[kGrid.length];
        double[] q10 = new double[kGrid.length];
        double[] q20 = new double[kGrid.length];
        double[] q80 = new double[kGrid.length];
        double[] q90 = new double[kGrid.length];
        double[] oneMinus = new double[kGrid.length];
        double[] kl = new double[cells.length];
        for (int g = 0; g < kGrid.length; g++) {
            int k = Math.min(kGrid[g], kMax);
            for (int i = 0; i < cells.length; i++) {
                int c = 0;
                for (int r = 0; r < k; r++) {
                    c += dataset[nn.neighbour(i, r)] == 1 ? 1 : 0;
                }
                kl[i] = bernoulliKl(c / (double) k, q);
            }
            double[] sorted = kl.clone();
            Arrays.sort(sorted);
            median[g] = Curve.quantile(sorted, 0.5);
            q10[g] = Curve.quantile(sorted, 0.1);
            q20[g] = Curve.quantile(sorted, 0.2);
            q80[g] = Curve.quantile(sorted, 0.8);
            q90[g] = Curve.quantile(sorted, 0.9);
            oneMinus[g] = 1 - median[g];
        }
        return new Curve(kGrid.clone(), median, q10, q20, q80, q90, Curve.normalisedArea(kGrid, oneMinus));
    }

    /** KL(Bernoulli(p) ‖ Bernoulli(q)) with 0·log 0 = 0. */
    public static double bernoulliKl(double p, double q) {
        double a = p > 0 ? p * Math.log(p / q) : 0;
        double b = p < 1 ? (1 - p) * Math.log((1 - p) / (1 - q)) : 0;
        return a + b;
    }

    /** A seeded sample of min(n, samples) distinct cells, in ascending order. */
    static int[] sample(int n, int samples, Rng rng) {
        if (samples >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] perm = rng.permutation(n);
        int[] s = Arrays.copyOf(perm, samples);
        Arrays.sort(s);
        return s;
    }
}

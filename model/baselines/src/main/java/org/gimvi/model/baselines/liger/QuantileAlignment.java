package org.gimvi.model.baselines.liger;

import java.util.Arrays;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * LIGER's quantile normalisation of the iNMF loadings (rliger {@code quantile_norm}, defaults
 * quantiles = 50, min_cells = 20, knn_k = 20, max_sample = 1000, do.center = FALSE, refine.knn = TRUE):
 *
 * <ol>
 *   <li>each dataset's loadings are scaled per factor by their root mean square (R's
 *       {@code scale(center = FALSE)}: √(Σx²/(n−1)));</li>
 *   <li>each cell is assigned to its largest factor, then the assignment is smoothed: a cell takes the
 *       most frequent assignment among its knn_k nearest neighbours in its own dataset (Euclidean, itself
 *       excluded; ties go to the lowest factor);</li>
 *   <li>for each factor-cluster shared by the reference and another dataset (both with ≥ min_cells
 *       cells) and each factor, the other dataset's values are mapped onto the reference's by the
 *       piecewise-linear map between their quantiles (type 7, at 0, 1/quantiles, …, 1; R's
 *       {@code approxfun(q_other, q_ref, rule = 2)}, tied knots averaged), each side drawn from at most
 *       max_sample cells; a degenerate side (all quantiles zero or equal) sends the values to 0.</li>
 * </ol>
 *
 * The reference's loadings are only scaled. Clusters smaller than min_cells are left as scaled.
 */
public final class QuantileAlignment {
    public static final int DEFAULT_QUANTILES = 50;
    public static final int DEFAULT_MIN_CELLS = 20;
    public static final int DEFAULT_KNN_K = 20;
    public static final int DEFAULT_MAX_SAMPLE = 1000;

    private final int quantiles;
    private final int minCells;
    private final int knnK;
    private final int maxSample;

    public QuantileAlignment() {
        this(DEFAULT_QUANTILES, DEFAULT_MIN_CELLS, DEFAULT_KNN_K, DEFAULT_MAX_SAMPLE);
    }

    public QuantileAlignment(int quantiles, int minCells, int knnK, int maxSample) {
        if (quantiles < 1 || minCells < 1 || knnK < 0 || maxSample < 2) {
            throw new IllegalArgumentException("liger quantile normalisation: quantiles ≥ 1, minCells ≥ 1, knnK ≥ 0 "
                    + "and maxSample ≥ 2 are required");
        }
        this.quantiles = quantiles;
        this.minCells = minCells;
        this.knnK = knnK;
        this.maxSample = maxSample;
    }

    /**
     * @param h         per dataset, cells × k loadings (row-major); not modified
     * @param reference index of the reference dataset
     * @return the aligned loadings, per dataset
     */
    public double[][] align(double[][] h, int[] cells, int k, int reference, Rng rng) {
        int datasets = h.length;
        double[][] hs = new double[datasets][];
        int[][] cluster = new int[datasets][];
        for (int d = 0; d < datasets; d++) {
            hs[d] = scaleColumns(h[d], cells[d], k);
            cluster[d] = refine(hs[d], cells[d], k, maxFactor(hs[d], cells[d], k));
        }
        for (int c = 0; c < k; c++) {
            int[] refCells = members(cluster[reference], c);
            for (int d = 0; d < datasets; d++) {
                if (d == reference) {
                    continue;
                }
                int[] own = members(cluster[d], c);
                if (refCells.length < minCells || own.length < minCells || refCells.length == 0 || own.length == 0) {
                    continue;
                }
                if (own.length == 1) { // rliger: a single cell takes the reference cluster's mean
                    for (int f = 0; f < k; f++) {
                        double s = 0;
                        for (int r : refCells) {
                            s += hs[reference][r * k + f];
                        }
                        hs[d][own[0] * k + f] = s / refCells.length;
                    }
                    continue;
                }
                for (int f = 0; f < k; f++) {
                    double[] qOwn = quantilesOf(hs[d], own, k, f, rng);
                    double[] qRef = quantilesOf(hs[reference], refCells, k, f, rng);
                    boolean degenerate = sum(qRef) == 0 || sum(qOwn) == 0 || distinct(qRef) < 2 || distinct(qOwn) < 2;
                    PiecewiseLinear warp = degenerate ? null : new PiecewiseLinear(qOwn, qRef);
                    for (int i : own) {
                        double value = hs[d][i * k + f];
                        hs[d][i * k + f] = degenerate ? 0 : warp.at(value);
                    }
                }
            }
        }
        return hs;
    }

    /** Each column divided by √(Σx²/(n−1)); a column of zeros stays zero. */
    static double[] scaleColumns(double[] h, int n, int k) {
        double[] out = new double[n * k];
        for (int f = 0; f < k; f++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += h[i * k + f] * h[i * k + f];
            }
            double rms = Math.sqrt(s / Math.max(1, n - 1));
            double inv = rms > 0 ? 1 / rms : 0;
            for (int i = 0; i < n; i++) {
                out[i * k + f] = h[i * k + f] * inv;
            }
        }
        return out;
    }

    static int[] maxFactor(double[] h, int n, int k) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int f = 1; f < k; f++) {
                if (h[i * k + f] > h[i * k + best]) {
                    best = f;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private int[] refine(double[] hs, int n, int k, int[] clusters) {
        int kk = Math.min(knnK, n - 1);
        if (kk < 1) {
            return clusters;
        }
        float[] points = new float[n * k];
        for (int i = 0; i < n * k; i++) {
            points[i] = (float) hs[i];
        }
        KnnResult nn = ExactKnn.search(points, n, points, n, k, kk, KnnMetric.EUCLIDEAN, true, WorkerPool.shared());
        int[] out = new int[n];
        int[] votes = new int[k];
        for (int i = 0; i < n; i++) {
            Arrays.fill(votes, 0);
            for (int r = 0; r < kk; r++) {
                votes[clusters[nn.neighbour(i, r)]]++;
            }
            int best = 0;
            for (int f = 1; f < k; f++) {
                if (votes[f] > votes[best]) {
                    best = f;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static int[] members(int[] cluster, int c) {
        int count = 0;
        for (int x : cluster) {
            if (x == c) {
                count++;
            }
        }
        int[] out = new int[count];
        int p = 0;
        for (int i = 0; i < cluster.length; i++) {
            if (cluster[i] == c) {
                out[p++] = i;
            }
        }
        return out;
    }

    /** Type-7 quantiles at 0, 1/q, …, 1 of column f over the cells (a random max_sample of them if more). */
    private double[] quantilesOf(double[] h, int[] cellsOf, int k, int f, Rng rng) {
        int[] chosen = cellsOf;
        if (cellsOf.length > maxSample) {
            int[] copy = cellsOf.clone();
            for (int i = 0; i < maxSample; i++) { // partial Fisher–Yates: a uniform subset
                int j = i + rng.nextInt(copy.length - i);
                int t = copy[i];
                copy[i] = copy[j];
                copy[j] = t;
            }
            chosen = Arrays.copyOf(copy, maxSample);
        }
        double[] v = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            v[i] = h[chosen[i] * k + f];
        }
        return typeSevenQuantiles(v, quantiles);
    }

    /** R's {@code quantile(v, seq(0, 1, by = 1/q))} (type 7). */
    static double[] typeSevenQuantiles(double[] values, int q) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double[] out = new double[q + 1];
        for (int t = 0; t <= q; t++) {
            double h = (n - 1) * (t / (double) q);
            int lo = (int) Math.floor(h);
            int hi = Math.min(n - 1, lo + 1);
            out[t] = v[lo] + (h - lo) * (v[hi] - v[lo]);
        }
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static int distinct(double[] sorted) {
        int c = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                c++;
            }
        }
        return c;
    }

    /** R's {@code approxfun(x, y, rule = 2)}: linear between knots, constant beyond; tied x averaged. */
    static final class PiecewiseLinear {
        private final double[] x;
        private final double[] y;

        PiecewiseLinear(double[] xs, double[] ys) {
            double[] ux = new double[xs.length];
            double[] uy = new double[xs.length];
            int m = 0;
            int i = 0;
            while (i < xs.length) { // xs is sorted (quantiles)
                int j = i;
                double s = 0;
                while (j < xs.length && xs[j] == xs[i]) {
                    s += ys[j];
                    j++;
                }
                ux[m] = xs[i];
                uy[m] = s / (j - i);
                m++;
                i = j;
            }
            x = Arrays.copyOf(ux, m);
            y = Arrays.copyOf(uy, m);
        }

        double at(double v) {
            if (v <= x[0]) {
                return y[0];
            }
            if (v >= x[x.length - 1]) {
                return y[y.length - 1];
            }
            int hi = Arrays.binarySearch(x, v);
            if (hi >= 0) {
                return y[hi];
            }
            hi = -hi - 1;
            int lo = hi - 1;
            double t = (v - x[lo]) / (x[hi] - x[lo]);
            return y[lo] + t * (y[hi] - y[lo]);
        }
    }
}

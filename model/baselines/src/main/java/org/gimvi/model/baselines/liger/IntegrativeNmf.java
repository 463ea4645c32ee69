package org.gimvi.model.baselines.liger;

import java.util.Arrays;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * Integrative non-negative matrix factorisation (Welch et al. 2019; rliger {@code optimizeALS}):
 *
 * <pre>
 *   minimise  Σ_d ‖X_d − H_d (W + V_d)‖²_F + λ Σ_d ‖H_d V_d‖²_F   over  H_d, W, V_d ≥ 0
 * </pre>
 *
 * with X_d cells × genes, H_d cells × k (the loadings), W k × genes (shared), V_d k × genes
 * (dataset-specific). Block coordinate descent in rliger's order — every H_d, then every V_d, then W —
 * where each block is an exact non-negative least-squares solve ({@link NonNegativeLeastSquares}, one
 * right-hand side per cell or per gene), so the objective can only decrease. Initialisation as rliger:
 * every entry uniform in [0, 2) from the seed. Stops when the relative change of the objective
 * |o₀ − o| / mean(o₀, o) falls below the threshold or after the maximum number of iterations.
 *
 * <p>Arithmetic is in double and every parallel loop writes disjoint outputs, so the result depends on
 * the data and seed only.
 */
public final class IntegrativeNmf {
    /** The outcome. H[d] is n_d × k, W k × g, V[d] k × g (row-major); objective per completed iteration. */
    public record Fit(double[][] h, double[] w, double[][] v, int k, int genes, double[] objectives, int iterations) {
        public double finalObjective() {
            return objectives[objectives.length - 1];
        }
    }

    private IntegrativeNmf() {
    }

    /**
     * @param x     per dataset, cells × genes row-major (non-negative)
     * @param cells per dataset, its number of cells
     */
    public static Fit fit(double[][] x, int[] cells, int genes, int k, double lambda, int maxIterations,
                          double threshold, long seed) {
        int datasets = x.length;
        Rng rng = new Rng(seed);
        double[] w = uniform(k * genes, rng);
        double[][] v = new double[datasets][];
        for (int d = 0; d < datasets; d++) {
            v[d] = uniform(k * genes, rng);
        }
        double[][] h = new double[datasets][];
        for (int d = 0; d < datasets; d++) {
            h[d] = uniform(cells[d] * k, rng);
        }
        double[] objectives = new double[maxIterations + 1];
        objectives[0] = objective(x, cells, genes, k, lambda, h, w, v);
        int it = 0;
        double previous = objectives[0];
        while (it < maxIterations) {
            for (int d = 0; d < datasets; d++) {
                updateLoadings(x[d], cells[d], genes, k, lambda, w, v[d], h[d]);
            }
            for (int d = 0; d < datasets; d++) {
                updateSpecific(x[d], cells[d], genes, k, lambda, w, h[d], v[d]);
            }
            updateShared(x, cells, genes, k, h, v, w);
            it++;
            double o = objective(x, cells, genes, k, lambda, h, w, v);
            objectives[it] = o;
            double delta = Math.abs(previous - o) / Math.max(0.5 * (previous + o), Double.MIN_NORMAL);
            previous = o;
            if (delta < threshold) {
                break;
            }
        }
        return new Fit(h, w, v, k, genes, Arrays.copyOf(objectives, it + 1), it);
    }

    /**
     * Plain NMF of one dataset, ‖X − H W‖² over H, W ≥ 0, by the same alternating NNLS (the
     * single-dataset latent against which k-NN purity compares LIGER's joint latent).
     *
     * @return H, cells × k row-major
     */
    public static double[] fitSingle(double[] x, int cells, int genes, int k, int maxIterations, double threshold,
                                     long seed) {
        Rng rng = new Rng(seed);
        double[] w = uniform(k * genes, rng);
        double[] zeroV = new double[k * genes];
        double[] h = uniform(cells * k, rng);
        double[][] xs = {x};
        int[] n = {cells};
        double[][] hs = {h};
        double[][] vs = {zeroV};
        double previous = objective(xs, n, genes, k, 0, hs, w, vs);
        for (int it = 0; it < maxIterations; it++) {
            updateLoadings(x, cells, genes, k, 0, w, zeroV, h);
            updateShared(xs, n, genes, k, hs, vs, w);
            double o = objective(xs, n, genes, k, 0, hs, w, vs);
            double delta = Math.abs(previous - o) / Math.max(0.5 * (previous + o), Double.MIN_NORMAL);
            previous = o;
            if (delta < threshold) {
                break;
            }
        }
        return h;
    }

    /** Σ_d ‖X_d − H_d (W + V_d)‖² + λ Σ_d ‖H_d V_d‖². */
    public static double objective(double[][] x, int[] cells, int genes, int k, double lambda, double[][] h,
                                   double[] w, double[][] v) {
        double total = 0;
        for (int d = 0; d < x.length; d++) {
            double[] hd = h[d];
            double[] vd = v[d];
            double[] xd = x[d];
            for (int i = 0; i < cells[d]; i++) {
                for (int j = 0; j < genes; j++) {
                    double shared = 0;
                    double specific = 0;
                    for (int f = 0; f < k; f++) {
                        double hv = hd[i * k + f];
                        shared += hv * w[f * genes + j];
                        specific += hv * vd[f * genes + j];
                    }
                    double r = xd[i * genes + j] - shared - specific;
                    total += r * r + lambda * specific * specific;
                }
            }
        }
        return total;
    }

    /**
     * H_d, cell by cell: min ‖x − (W+V)ᵀh‖² + λ‖Vᵀh‖², i.e. Gram (W+V)(W+V)ᵀ + λVVᵀ and right-hand
     * side (W+V)x.
     */
    static void updateLoadings(double[] x, int cells, int genes, int k, double lambda, double[] w, double[] v,
                               double[] h) {
        double[] sum = new double[k * genes];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = w[i] + v[i];
        }
        double[] gram = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int j = 0; j < genes; j++) {
                    s += sum[a * genes + j] * sum[b * genes + j] + lambda * v[a * genes + j] * v[b * genes + j];
                }
                gram[a * k + b] = s;
            }
        }
        double[] rhs = new double[cells * k];
        for (int i = 0; i < cells; i++) {
            for (int a = 0; a < k; a++) {
                double s = 0;
                for (int j = 0; j < genes; j++) {
                    s += sum[a * genes + j] * x[i * genes + j];
                }
                rhs[i * k + a] = s;
            }
        }
        NonNegativeLeastSquares.solveAll(gram, k, rhs, cells, h, WorkerPool.shared());
    }

    /**
     * V_d, gene by gene: min Σ_i (X_ij − H_i·(w_j + v_j))² + λ Σ_i (H_i·v_j)², i.e. Gram (1+λ)HᵀH and
     * right-hand side Hᵀ(X_j − H w_j).
     */
    static void updateSpecific(double[] x, int cells, int genes, int k, double lambda, double[] w, double[] h,
                               double[] v) {
        double[] hth = gram(h, cells, k);
        double[] gram = new double[k * k];
        for (int i = 0; i < gram.length; i++) {
            gram[i] = (1 + lambda) * hth[i];
        }
        double[] residual = new double[cells * genes]; // X − H W
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < genes; j++) {
                double s = x[i * genes + j];
                for (int f = 0; f < k; f++) {
                    s -= h[i * k + f] * w[f * genes + j];
                }
                residual[i * genes + j] = s;
            }
        }
        double[] rhs = projectGenes(h, residual, cells, genes, k);
        double[] sol = new double[genes * k];
        NonNegativeLeastSquares.solveAll(gram, k, rhs, genes, sol, WorkerPool.shared());
        transposeInto(sol, genes, k, v);
    }

    /**
     * W, gene by gene, over all datasets: Gram Σ_d H_dᵀH_d and right-hand side Σ_d H_dᵀ(X_d,j − H_d v_dj).
     */
    static void updateShared(double[][] x, int[] cells, int genes, int k, double[][] h, double[][] v, double[] w) {
        double[] gram = new double[k * k];
        double[] rhs = new double[genes * k];
        for (int d = 0; d < x.length; d++) {
            int n = cells[d];
            double[] hd = h[d];
            double[] g = gram(hd, n, k);
            for (int i = 0; i < gram.length; i++) {
                gram[i] += g[i];
            }
            double[] residual = new double[n * genes]; // X_d − H_d V_d
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < genes; j++) {
                    double s = x[d][i * genes + j];
                    for (int f = 0; f < k; f++) {
                        s -= hd[i * k + f] * v[d][f * genes + j];
                    }
                    residual[i * genes + j] = s;
                }
            }
            double[] r = projectGenes(hd, residual, n, genes, k);
            for (int i = 0; i < rhs.length; i++) {
                rhs[i] += r[i];
            }
        }
        double[] sol = new double[genes * k];
        NonNegativeLeastSquares.solveAll(gram, k, rhs, genes, sol, WorkerPool.shared());
        transposeInto(sol, genes, k, w);
    }

    /** HᵀH, k × k. */
    private static double[] gram(double[] h, int cells, int k) {
        double[] g = new double[k * k];
        for (int i = 0; i < cells; i++) {
            for (int a = 0; a < k; a++) {
                double ha = h[i * k + a];
                if (ha == 0) {
                    continue;
                }
                for (int b = 0; b < k; b++) {
                    g[a * k + b] += ha * h[i * k + b];
                }
            }
        }
        return g;
    }

    /** (Hᵀ R)ᵀ: genes × k, row j = Hᵀ R[:, j]. */
    private static double[] projectGenes(double[] h, double[] r, int cells, int genes, int k) {
        double[] out = new double[genes * k];
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < genes; j++) {
                double rij = r[i * genes + j];
                if (rij == 0) {
                    continue;
                }
                for (int a = 0; a < k; a++) {
                    out[j * k + a] += h[i * k + a] * rij;
                }
            }
        }
        return out;
    }

    private static void transposeInto(double[] genesByK, int genes, int k, double[] kByGenes) {
        for (int j = 0; j < genes; j++) {
            for (int a = 0; a < k; a++) {
                kByGenes[a * genes + j] = genesByK[j * k + a];
            }
        }
    }

    private static double[] uniform(int n, Rng rng) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = 2 * rng.nextDouble();
        }
        return out;
    }
}

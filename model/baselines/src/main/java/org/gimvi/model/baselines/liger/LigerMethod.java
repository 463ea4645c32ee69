package org.gimvi.model.baselines.liger;

import java.util.Locale;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.PurityReference;

/**
 * LIGER (Welch et al. 2019) as the Li et al. 2022 harness runs it for imputation
 * ({@code QuKunLab/SpatialBenchmarking}, {@code Codes/Impute/LIGER.r}), with rliger's published
 * defaults where the harness departs from them:
 *
 * <ol>
 *   <li>scRNA-seq cells without counts on the training genes are removed (as the harness does);</li>
 *   <li>{@code normalize}: each cell divided by its total over the training genes
 *       ({@link Normalisation#LIBRARY_SIZE}, rliger's default). The harness then overwrites the
 *       normalised data with the raw counts ({@code norm.data <- raw.data}); {@link Normalisation#RAW}
 *       reproduces that;</li>
 *   <li>{@code selectGenes} is replaced by keeping the training genes with a non-zero count in both
 *       datasets (on a panel of a few dozen genes rliger's variance filter keeps nearly all of them;
 *       a gene absent from one dataset would only contribute a zero column);</li>
 *   <li>{@code scaleNotCenter}: each gene divided by its root mean square √(Σx²/(n−1)) per dataset,
 *       without centring;</li>
 *   <li>{@code optimizeALS}: {@link IntegrativeNmf} with k = min({@link #DEFAULT_K}, genes − 3) (the
 *       harness's rule; 20 is rliger's published default and the harness's cap), λ =
 *       {@link #DEFAULT_LAMBDA} (rliger's default; the harness passes 20, {@link #HARNESS_LAMBDA}),
 *       30 iterations at most, threshold 1e-6;</li>
 *   <li>{@code quantile_norm}: {@link QuantileAlignment} with rliger's defaults, the reference being the
 *       dataset with more cells (rliger's default {@code ref_dataset});</li>
 *   <li>{@code imputeKNN(knn_k = 30, weight = TRUE)}: each spatial cell's 30 nearest scRNA-seq cells in
 *       the aligned loadings (Euclidean), weights e^(−d) normalised to sum 1. The harness averages raw
 *       counts; to give the expected count given the spatial cell's training-gene total L, the averaged
 *       quantity here is each scRNA-seq cell's relative expression (count over its training-gene total),
 *       multiplied by L.</li>
 * </ol>
 *
 * The joint latent is the aligned loadings of both datasets. {@link #singleDatasetLatent} fits plain
 * NMF on one dataset with the same preprocessing (the reference of k-NN purity for LIGER).
 */
public final class LigerMethod implements ImputationMethod {
    public static final int DEFAULT_K = 20;
    /** The harness uses k = genes − 3 when fewer than 23 genes remain. */
    public static final int GENES_MINUS = 3;
    public static final double DEFAULT_LAMBDA = 5;
    public static final double HARNESS_LAMBDA = 20;
    public static final int DEFAULT_MAX_ITERATIONS = 30;
    public static final double DEFAULT_THRESHOLD = 1e-6;
    public static final int DEFAULT_KNN_K = 30;
    public static final Normalisation DEFAULT_NORMALISATION = Normalisation.LIBRARY_SIZE;

    /** What LIGER factorises before scaling. */
    public enum Normalisation {
        /** rliger {@code normalize}: counts over the cell's total. */
        LIBRARY_SIZE,
        /** The raw counts (what the Li et al. harness ends up factorising). */
        RAW
    }

    private final String name;
    private final int k;
    private final double lambda;
    private final int maxIterations;
    private final double threshold;
    private final int knnK;
    private final Normalisation normalisation;
    private final QuantileAlignment alignment;

    /**
     * The method with {@code name=value} overrides of its defaults: {@code k} (factors; the fit uses
     * at most genes − 3), {@code lambda}, {@code iterations}, {@code threshold}, {@code knn_k}.
     */
    public static LigerMethod fromParameters(java.util.Map<String, String> overrides) {
        org.gimvi.model.methods.MethodParameters p = org.gimvi.model.methods.MethodParameters.of("liger",
                new LigerMethod().parameters(), overrides);
        return new LigerMethod("liger", p.intValue("k", 1), p.doubleValue("lambda", 0, Double.POSITIVE_INFINITY),
                p.intValue("iterations", 1), p.doubleValue("threshold", 0, Double.POSITIVE_INFINITY),
                p.intValue("knn_k", 1), DEFAULT_NORMALISATION, new QuantileAlignment());
    }

    @Override
    public java.util.Map<String, String> parameters() {
        java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("k", Integer.toString(k));
        d.put("lambda", Double.toString(lambda));
        d.put("iterations", Integer.toString(maxIterations));
        d.put("threshold", Double.toString(threshold));
        d.put("knn_k", Integer.toString(knnK));
        return d;
    }

    public LigerMethod() {
        this("liger", DEFAULT_K, DEFAULT_LAMBDA, DEFAULT_MAX_ITERATIONS, DEFAULT_THRESHOLD, DEFAULT_KNN_K,
                DEFAULT_NORMALISATION, new QuantileAlignment());
    }

    public LigerMethod(String name, int k, double lambda, int maxIterations, double threshold, int knnK,
                       Normalisation normalisation, QuantileAlignment alignment) {
        if (k < 1) {
            throw new IllegalArgumentException(name + ": k (factors) must be ≥ 1, got " + k);
        }
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException(name + ": lambda must be ≥ 0, got " + lambda);
        }
        if (maxIterations < 1 || knnK < 1) {
            throw new IllegalArgumentException(name + ": maxIterations and knnK must be ≥ 1");
        }
        this.name = name;
        this.k = k;
        this.lambda = lambda;
        this.maxIterations = maxIterations;
        this.threshold = threshold;
        this.knnK = knnK;
        this.normalisation = normalisation;
        this.alignment = alignment;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        DenseCountMatrix seq = task.seqDense(); // dense algebra: a sparse reference is densified once
        DenseCountMatrix sp = task.spatialCounts();
        int[] shared = task.sharedColumns();
        int[] targets = task.targetColumns();
        int[] used = expressedInBoth(seq, sp, shared);
        int genes = used.length;
        int factors = Math.min(k, genes - GENES_MINUS);
        if (factors < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: only %d training genes are expressed in "
                    + "both datasets, so k = min(%d, genes − %d) leaves no factor; LIGER needs at least %d such genes "
                    + "(use a larger training panel)", name, genes, k, GENES_MINUS, GENES_MINUS + 1));
        }
        int[] seqRows = cellsWithCounts(seq, shared);
        int ns = seqRows.length;
        int nsp = sp.rows();
        if (ns <= 1) {
            throw new IllegalArgumentException(name + ": " + ns + " scRNA-seq cells have counts on the training genes; "
                    + "LIGER needs at least 2");
        }
        double[] xSeq = new double[ns * genes];
        for (int i = 0; i < ns; i++) {
            for (int c = 0; c < genes; c++) {
                xSeq[i * genes + c] = seq.get(seqRows[i], shared[used[c]]);
            }
        }
        double[] xSp = new double[nsp * genes];
        for (int i = 0; i < nsp; i++) {
            for (int c = 0; c < genes; c++) {
                xSp[i * genes + c] = sp.get(i, used[c]);
            }
        }
        preprocess(xSeq, ns, genes, normalisation);
        preprocess(xSp, nsp, genes, normalisation);
        Rng rng = new Rng(seed);
        IntegrativeNmf.Fit fit = IntegrativeNmf.fit(new double[][] {xSeq, xSp}, new int[] {ns, nsp}, genes, factors,
                lambda, maxIterations, threshold, rng.nextLong());
        int reference = nsp > ns ? 1 : 0;
        double[][] aligned = alignment.align(fit.h(), new int[] {ns, nsp}, factors, reference, rng.split());
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        FMatrixRMaj out = impute(task, seq, shared, targets, seqRows, aligned, factors);
        FMatrixRMaj latentSeq = new FMatrixRMaj(seq.rows(), factors); // removed cells keep a zero row
        for (int i = 0; i < ns; i++) {
            for (int f = 0; f < factors; f++) {
                latentSeq.data[seqRows[i] * factors + f] = (float) aligned[0][i * factors + f];
            }
        }
        FMatrixRMaj latentSp = new FMatrixRMaj(nsp, factors);
        for (int i = 0; i < nsp * factors; i++) {
            latentSp.data[i] = (float) aligned[1][i];
        }
        double[] obj = fit.objectives();
        String notes = String.format(Locale.ROOT,
                "k=%d factors, lambda=%.3g, %s, %d genes, %d scRNA-seq + %d spatial cells; %d ALS iterations, "
                        + "objective %.6g -> %.6g; quantile reference %s; knn_k=%d",
                factors, lambda, normalisation.name().toLowerCase(Locale.ROOT), genes, ns, nsp, fit.iterations(), obj[0],
                fit.finalObjective(), reference == 0 ? "scRNA-seq" : "spatial", Math.min(knnK, ns));
        long nmfSeed = rng.nextLong();
        int[] usedColumns = new int[genes];
        for (int c = 0; c < genes; c++) {
            usedColumns[c] = shared[used[c]];
        }
        // k-NN purity's reference (metrics.md §2): plain NMF of each dataset alone, computed only when asked
        PurityReference nmf = PurityReference.computed("NMF of each dataset (k = " + factors + ")", () -> {
            FMatrixRMaj hSeq = singleDatasetLatent(seq.selectRows(seqRows).selectColumns(usedColumns), factors,
                    normalisation, nmfSeed);
            FMatrixRMaj seqAll = new FMatrixRMaj(seq.rows(), factors); // removed cells keep a zero row, as above
            for (int i = 0; i < ns; i++) {
                System.arraycopy(hSeq.data, i * factors, seqAll.data, seqRows[i] * factors, factors);
            }
            return new PurityReference.Latents(seqAll, singleDatasetLatent(sp.selectColumns(used), factors,
                    normalisation, nmfSeed + 1));
        });
        return new ImputationResult(out, latentSeq, latentSp, trainSeconds, (System.nanoTime() - t1) / 1e9, notes, null)
                .withPurityReference(nmf);
    }

    private FMatrixRMaj impute(ImputationTask task, DenseCountMatrix seq, int[] shared, int[] targets, int[] seqRows,
                               double[][] aligned, int factors) {
        int ns = seqRows.length;
        int nsp = aligned[1].length / factors;
        float[] ref = new float[ns * factors];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = (float) aligned[0][i];
        }
        float[] query = new float[nsp * factors];
        for (int i = 0; i < query.length; i++) {
            query[i] = (float) aligned[1][i];
        }
        int kk = Math.min(knnK, ns);
        KnnResult nn = ExactKnn.search(query, nsp, ref, ns, factors, kk, KnnMetric.EUCLIDEAN, false, WorkerPool.shared());
        int nt = targets.length;
        double[] relative = new double[ns * nt];
        for (int i = 0; i < ns; i++) {
            double lib = seq.rowSum(seqRows[i], shared);
            for (int t = 0; t < nt; t++) {
                relative[i * nt + t] = seq.get(seqRows[i], targets[t]) / lib;
            }
        }
        double[] lib = task.spatialLibrary();
        FMatrixRMaj out = new FMatrixRMaj(nsp, nt);
        double[] weight = new double[kk];
        for (int q = 0; q < nsp; q++) {
            // e^(−d) / Σ e^(−d), computed relative to the nearest distance so that it cannot underflow
            double nearest = nn.distance(q, 0);
            double total = 0;
            for (int r = 0; r < kk; r++) {
                weight[r] = Math.exp(-(nn.distance(q, r) - nearest));
                total += weight[r];
            }
            for (int t = 0; t < nt; t++) {
                double s = 0;
                for (int r = 0; r < kk; r++) {
                    s += weight[r] * relative[nn.neighbour(q, r) * nt + t];
                }
                out.data[q * nt + t] = (float) (lib[q] * s / total);
            }
        }
        return out;
    }

    /** Normalisation (per cell) then scaling without centring (per gene), in place. */
    private static void preprocess(double[] x, int cells, int genes, Normalisation normalisation) {
        if (normalisation == Normalisation.LIBRARY_SIZE) {
            for (int i = 0; i < cells; i++) {
                double s = 0;
                for (int c = 0; c < genes; c++) {
                    s += x[i * genes + c];
                }
                double inv = s > 0 ? 1 / s : 0;
                for (int c = 0; c < genes; c++) {
                    x[i * genes + c] *= inv;
                }
            }
        }
        scaleNotCenter(x, cells, genes);
    }

    /** Each gene divided by √(Σx²/(n−1)); an all-zero gene stays zero. */
    static void scaleNotCenter(double[] x, int cells, int genes) {
        for (int c = 0; c < genes; c++) {
            double s = 0;
            for (int i = 0; i < cells; i++) {
                s += x[i * genes + c] * x[i * genes + c];
            }
            double rms = Math.sqrt(s / Math.max(1, cells - 1));
            double inv = rms > 0 ? 1 / rms : 0;
            for (int i = 0; i < cells; i++) {
                x[i * genes + c] *= inv;
            }
        }
    }

    /**
     * The single-dataset latent for k-NN purity: plain NMF (k factors, alternating NNLS) of one
     * dataset's counts after the same normalisation and scaling. Cells × k, row-major.
     */
    public static FMatrixRMaj singleDatasetLatent(DenseCountMatrix counts, int k, Normalisation normalisation, long seed) {
        int n = counts.rows();
        int g = counts.cols();
        if (k < 1 || k > g) {
            throw new IllegalArgumentException("liger: single-dataset NMF needs 1 ≤ k ≤ genes, got k = " + k
                    + " for " + g + " genes");
        }
        double[] x = new double[n * g];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < g; c++) {
                x[i * g + c] = counts.get(i, c);
            }
        }
        preprocess(x, n, g, normalisation);
        double[] h = IntegrativeNmf.fitSingle(x, n, g, k, DEFAULT_MAX_ITERATIONS, DEFAULT_THRESHOLD, seed);
        FMatrixRMaj out = new FMatrixRMaj(n, k);
        for (int i = 0; i < n * k; i++) {
            out.data[i] = (float) h[i];
        }
        return out;
    }

    static int[] expressedInBoth(DenseCountMatrix seq, DenseCountMatrix sp, int[] shared) {
        int[] keep = new int[shared.length];
        int n = 0;
        for (int j = 0; j < shared.length; j++) {
            boolean inSeq = false;
            for (int i = 0; i < seq.rows() && !inSeq; i++) {
                inSeq = seq.get(i, shared[j]) != 0;
            }
            boolean inSp = false;
            for (int i = 0; i < sp.rows() && !inSp; i++) {
                inSp = sp.get(i, j) != 0;
            }
            if (inSeq && inSp) {
                keep[n++] = j;
            }
        }
        return java.util.Arrays.copyOf(keep, n);
    }

    private static int[] cellsWithCounts(DenseCountMatrix seq, int[] shared) {
        int[] keep = new int[seq.rows()];
        int n = 0;
        for (int i = 0; i < seq.rows(); i++) {
            if (seq.rowSum(i, shared) > 0) {
                keep[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(keep, n);
    }
}

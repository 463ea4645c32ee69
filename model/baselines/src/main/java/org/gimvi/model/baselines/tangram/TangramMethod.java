package org.gimvi.model.baselines.tangram;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.MethodParameters;

/**
 * Tangram (Biancalani et al. 2021), the default {@code tg.map_cells_to_space} followed by
 * {@code tg.project_genes}, as the Li et al. 2022 harness ({@code QuKunLab/SpatialBenchmarking},
 * {@code Tangram_impute}) runs it:
 *
 * <ul>
 *   <li>scRNA-seq: {@code normalize_total} (to the median cell total over all its genes) then
 *       {@code log1p}; spatial: raw counts. Training genes: the task's training genes expressed in at
 *       least one cell of each dataset ({@code pp_adatas} drops all-zero genes).</li>
 *   <li>Loss: −mean over genes of the cosine over spots between Pᵀ S and G (λ_g1 = 1) plus the density
 *       KL with λ_d = 1 (map_cells_to_space sets λ_d = 1 when a density prior is given; the default prior
 *       is {@code "rna_count_based"}). The other terms (λ_g2, λ_r, λ_l1, λ_l2, spatial terms) default to
 *       0 in Tangram and are not implemented.</li>
 *   <li>M ~ N(0, 1) from the seed, Adam with lr 0.1, 1,000 full-batch epochs.</li>
 *   <li>Imputation: the mapping applied to all genes ({@code project_genes}: Pᵀ X), with X the
 *       {@code normalize_total}-scaled counts (before the log). Pᵀ X is the spot's mapped expression in
 *       the scRNA-seq's units, and its scale follows the mass the density term mapped to the spot, not the
 *       spot's own total. To return the project's quantity (the expected count given the spatial cell's
 *       training-gene total L) each target is taken as its share of the mapped training-gene total:
 *       {@code L · (PᵀX)_g / Σ_{training genes} (PᵀX)}. (The harness scores the log-scale Pᵀ log1p(X)
 *       directly; on osmFISH/Allen the two give the same {@code spearman_norm} within 0.01, while
 *       multiplying a mapped relative expression by L scores far lower.)</li>
 * </ul>
 *
 * <p>Modes ({@link TangramMode}): {@code CELLS} (default) needs five dense cells × spots float matrices
 * and refuses, before allocating, when the heap cannot hold them; {@code CLUSTERS} maps the averages of
 * {@link #DEFAULT_CLUSTERS} k-means clusters of the scRNA-seq cells (k-means++ from the seed, on the
 * log-normalised training genes — Euclidean k-means there equals k-means in the full PCA space),
 * weighting each cluster by its share of cells in the density term as Tangram's {@code d_source} does.
 */
public final class TangramMethod implements ImputationMethod {
    public static final int DEFAULT_EPOCHS = 1000;
    public static final float DEFAULT_LEARNING_RATE = 0.1f;
    public static final float DEFAULT_LAMBDA_G1 = 1f;
    public static final float DEFAULT_LAMBDA_D = 1f;
    public static final DensityPrior DEFAULT_DENSITY = DensityPrior.RNA_COUNT_BASED;
    public static final TangramMode DEFAULT_MODE = TangramMode.CELLS;
    public static final int DEFAULT_CLUSTERS = 100;
    public static final int KMEANS_MAX_ITERATIONS = 300;

    private final String name;
    private final TangramMode mode;
    private final int epochs;
    private final float learningRate;
    private final float lambdaG1;
    private final float lambdaD;
    private final DensityPrior density;
    private final int clusters;

    public TangramMethod() {
        this("tangram", DEFAULT_MODE, DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, DEFAULT_LAMBDA_G1, DEFAULT_LAMBDA_D,
                DEFAULT_DENSITY, DEFAULT_CLUSTERS);
    }

    /** The default settings in the given mode, named {@code tangram} or {@code tangram-clusters}. */
    /**
     * The method with {@code name=value} overrides of its published defaults: {@code epochs},
     * {@code learning_rate}, {@code lambda_g1} (gene-wise cosine weight), {@code lambda_d} (density
     * weight), {@code density} ({@code rna_count_based}, {@code uniform} or {@code none}) and
     * {@code clusters} (clusters mode).
     */
    public static TangramMethod fromParameters(TangramMode mode, Map<String, String> overrides) {
        String name = mode == TangramMode.CELLS ? "tangram" : "tangram-clusters";
        MethodParameters p = MethodParameters.of(name, defaultParameters(), overrides);
        return new TangramMethod(name, mode, p.intValue("epochs", 1),
                (float) p.doubleValue("learning_rate", Double.MIN_VALUE, Double.POSITIVE_INFINITY),
                (float) p.doubleValue("lambda_g1", 0, Double.POSITIVE_INFINITY),
                (float) p.doubleValue("lambda_d", 0, Double.POSITIVE_INFINITY),
                DensityPrior.valueOf(p.choice("density", "rna_count_based", "uniform", "none").toUpperCase(Locale.ROOT)),
                p.intValue("clusters", 1));
    }

    private static Map<String, String> defaultParameters() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("epochs", Integer.toString(DEFAULT_EPOCHS));
        d.put("learning_rate", Float.toString(DEFAULT_LEARNING_RATE));
        d.put("lambda_g1", Float.toString(DEFAULT_LAMBDA_G1));
        d.put("lambda_d", Float.toString(DEFAULT_LAMBDA_D));
        d.put("density", DEFAULT_DENSITY.name().toLowerCase(Locale.ROOT));
        d.put("clusters", Integer.toString(DEFAULT_CLUSTERS));
        return d;
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("epochs", Integer.toString(epochs));
        d.put("learning_rate", Float.toString(learningRate));
        d.put("lambda_g1", Float.toString(lambdaG1));
        d.put("lambda_d", Float.toString(lambdaD));
        d.put("density", density.name().toLowerCase(Locale.ROOT));
        d.put("clusters", Integer.toString(clusters));
        return d;
    }

    public static TangramMethod inMode(TangramMode mode) {
        return new TangramMethod(mode == TangramMode.CELLS ? "tangram" : "tangram-clusters", mode, DEFAULT_EPOCHS,
                DEFAULT_LEARNING_RATE, DEFAULT_LAMBDA_G1, DEFAULT_LAMBDA_D, DEFAULT_DENSITY, DEFAULT_CLUSTERS);
    }

    public TangramMethod(String name, TangramMode mode, int epochs, float learningRate, float lambdaG1, float lambdaD,
                         DensityPrior density, int clusters) {
        if (epochs < 0) {
            throw new IllegalArgumentException(name + ": epochs must be ≥ 0, got " + epochs);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException(name + ": learningRate must be > 0, got " + learningRate);
        }
        if (!(lambdaG1 > 0)) {
            throw new IllegalArgumentException(name + ": lambdaG1 must be > 0 (Tangram refuses lambda_g1 = 0), got " + lambdaG1);
        }
        if (!(lambdaD >= 0)) {
            throw new IllegalArgumentException(name + ": lambdaD must be ≥ 0, got " + lambdaD);
        }
        if (mode == TangramMode.CLUSTERS && clusters < 1) {
            throw new IllegalArgumentException(name + ": clusters must be ≥ 1 in clusters mode, got " + clusters);
        }
        this.name = name;
        this.mode = mode;
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.lambdaG1 = lambdaG1;
        this.lambdaD = lambdaD;
        this.density = density;
        this.clusters = clusters;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        long cpu0 = ProcessCpu.nanos();
        DenseCountMatrix seq = task.seqDense(); // dense algebra: a sparse reference is densified once
        DenseCountMatrix sp = task.spatialCounts();
        int[] shared = task.sharedColumns();
        int[] targets = task.targetColumns();
        int ns = seq.rows();
        int nsp = sp.rows();
        int[] used = expressedInBoth(seq, sp, shared);
        if (used.length == 0) {
            throw new IllegalArgumentException(name + ": no training gene has a non-zero count in both datasets; "
                    + "Tangram needs at least one shared expressed gene (check the gene names and the spatial panel)");
        }
        int g = used.length;
        double[] spLib = task.spatialLibrary();
        double spTotal = 0;
        for (double v : spLib) {
            spTotal += v;
        }
        if (density == DensityPrior.RNA_COUNT_BASED && !(spTotal > 0)) {
            throw new IllegalArgumentException(name + ": density prior rna_count_based needs spatial counts, but every "
                    + "spatial cell's total is 0; use density UNIFORM or NONE");
        }
        float[] logNorm = logNormalisedTrainingGenes(seq, shared, used);
        float[] scaled = normalisedTargetsAndTrainingTotal(seq, shared, targets);
        Rng rng = new Rng(seed);
        long mapSeed = rng.nextLong();

        int sources;
        float[] sourceExpression;
        float[] sourceScaled;
        float[] weight;
        if (mode == TangramMode.CELLS) {
            sources = ns;
            sourceExpression = logNorm;
            sourceScaled = scaled;
            weight = new float[ns];
            Arrays.fill(weight, 1f / ns);
        } else {
            int k = Math.min(clusters, ns);
            int[] label = SeededKMeans.fit(logNorm, ns, g, k, KMEANS_MAX_ITERATIONS, rng.split());
            sources = Arrays.stream(label).max().orElse(-1) + 1;
            sourceExpression = clusterMeans(logNorm, label, sources, g);
            sourceScaled = clusterMeans(scaled, label, sources, targets.length + 1);
            weight = new float[sources];
            for (int c : label) {
                weight[c] += 1f;
            }
            for (int c = 0; c < sources; c++) {
                weight[c] /= ns;
            }
        }
        TangramMemory.check(mode, sources, nsp, g, TangramMemory.availableHeap());

        ComputeBackend backend = Backends.defaultBackend();
        FMatrixRMaj source = backend.allocate(sources, g);
        System.arraycopy(sourceExpression, 0, source.data, 0, sources * g);
        FMatrixRMaj target = backend.allocate(nsp, g);
        for (int j = 0; j < nsp; j++) {
            for (int c = 0; c < g; c++) {
                target.data[j * g + c] = sp.get(j, used[c]);
            }
        }
        float[] d = densityPrior(spLib, spTotal);
        TangramMapper.Fit fit = TangramMapper.fit(backend, source, target, weight, d, lambdaG1, lambdaD, epochs,
                learningRate, mapSeed);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double trainCpuSeconds = (ProcessCpu.nanos() - cpu0) / 1e9;

        long t1 = System.nanoTime();
        int nt = targets.length;
        FMatrixRMaj x = backend.allocate(sources, nt + 1);
        System.arraycopy(sourceScaled, 0, x.data, 0, sources * (nt + 1));
        FMatrixRMaj mapped = backend.allocate(nsp, nt + 1);
        backend.multTransA(fit.probabilities(), x, mapped);
        FMatrixRMaj out = backend.allocate(nsp, nt);
        for (int j = 0; j < nsp; j++) {
            double trainingMass = mapped.data[j * (nt + 1) + nt];
            double scale = trainingMass > 0 ? spLib[j] / trainingMass : 0;
            for (int t = 0; t < nt; t++) {
                out.data[j * nt + t] = (float) (scale * mapped.data[j * (nt + 1) + t]);
            }
        }
        String notes = String.format(Locale.ROOT,
                "mode=%s, %d %s x %d spots, %d genes, %d epochs, lr %.3g, density %s (lambda_d %.3g); "
                        + "loss %.4f -> %.4f, gene-voxel cosine %.4f, KL %.4f; dense mapping %s; "
                        + "training used %.1f s of CPU (all threads of the process) in %.1f s",
                mode.name().toLowerCase(Locale.ROOT), sources, mode == TangramMode.CELLS ? "cells" : "clusters", nsp,
                g, epochs, learningRate, density.name().toLowerCase(Locale.ROOT), density == DensityPrior.NONE ? 0 : lambdaD,
                fit.firstLoss(), fit.loss(), fit.cosine(), fit.kl(),
                TangramMemory.human(TangramMemory.bytesNeeded(sources, nsp, g)), trainCpuSeconds, trainSeconds);
        return ImputationResult.predictionsOnly(out, trainSeconds, (System.nanoTime() - t1) / 1e9, notes);
    }

    private float[] densityPrior(double[] spLib, double spTotal) {
        int s = spLib.length;
        switch (density) {
            case NONE:
                return null;
            case UNIFORM: {
                float[] d = new float[s];
                Arrays.fill(d, 1f / s);
                return d;
            }
            default: {
                float[] d = new float[s];
                for (int j = 0; j < s; j++) {
                    d[j] = (float) (spLib[j] / spTotal);
                }
                return d;
            }
        }
    }

    /** Positions (into {@code shared}) of the training genes with a non-zero count in both datasets. */
    static int[] expressedInBoth(DenseCountMatrix seq, DenseCountMatrix sp, int[] shared) {
        int[] keep = new int[shared.length];
        int k = 0;
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
                keep[k++] = j;
            }
        }
        return Arrays.copyOf(keep, k);
    }

    /**
     * scanpy's {@code normalize_total} (target = median of the non-zero cell totals over all genes) and
     * {@code log1p}, on the used training genes. A cell without counts stays at zero.
     */
    private static float[] logNormalisedTrainingGenes(DenseCountMatrix seq, int[] shared, int[] used) {
        int n = seq.rows();
        double[] total = new double[n];
        double[] positive = new double[n];
        int np = 0;
        for (int i = 0; i < n; i++) {
            total[i] = seq.rowSum(i, null);
            if (total[i] > 0) {
                positive[np++] = total[i];
            }
        }
        double targetSum = median(Arrays.copyOf(positive, np));
        int g = used.length;
        float[] out = new float[n * g];
        for (int i = 0; i < n; i++) {
            double scale = total[i] > 0 ? targetSum / total[i] : 0;
            for (int c = 0; c < g; c++) {
                out[i * g + c] = (float) Math.log1p(seq.get(i, shared[used[c]]) * scale);
            }
        }
        return out;
    }

    /**
     * Per cell, the target genes then the training-gene total, each divided by the cell's total over
     * all its genes (the scale of {@code normalize_total}; its constant cancels in the share taken at the
     * end). A cell without counts stays at zero.
     */
    private static float[] normalisedTargetsAndTrainingTotal(DenseCountMatrix seq, int[] shared, int[] targets) {
        int n = seq.rows();
        int w = targets.length + 1;
        float[] out = new float[n * w];
        for (int i = 0; i < n; i++) {
            double total = seq.rowSum(i, null);
            if (total > 0) {
                for (int t = 0; t < targets.length; t++) {
                    out[i * w + t] = (float) (seq.get(i, targets[t]) / total);
                }
                out[i * w + targets.length] = (float) (seq.rowSum(i, shared) / total);
            }
        }
        return out;
    }

    private static float[] clusterMeans(float[] x, int[] label, int k, int d) {
        double[] sum = new double[k * d];
        int[] count = new int[k];
        for (int i = 0; i < label.length; i++) {
            int c = label[i];
            count[c]++;
            for (int j = 0; j < d; j++) {
                sum[c * d + j] += x[i * d + j];
            }
        }
        float[] out = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                out[c * d + j] = (float) (sum[c * d + j] / count[c]);
            }
        }
        return out;
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
    }
}

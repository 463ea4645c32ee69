package org.gimvi.model.baselines.magan;

import java.util.Locale;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.nn.Adam;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;

/**
 * MAGAN (Amodio &amp; Krishnaswamy 2018) as an imputation baseline, the way the gimVI paper used it:
 * domain 1 = the spatial cells, domain 2 = the scRNA-seq cells, both as log(1 + 10⁴·x/total) over the
 * shared training genes (total over the training genes); the losses, networks and optimiser of the
 * authors' code ({@link MaganModel}; Adam lr {@link #DEFAULT_LEARNING_RATE}, β = (0.5, 0.99), eps 1e-8,
 * batches of {@link #DEFAULT_BATCH} cells from each domain, one generator step then one discriminator
 * step per iteration). The authors' demo runs 100,000 iterations; the default here is
 * {@link #DEFAULT_ITERATIONS} (a budget that fits the benchmark; a parameter).
 *
 * <p>Imputation: the generator G12 maps each spatial cell into the scRNA-seq feature space (training
 * genes only — it does not output the held-out genes); the held-out genes are then the mean relative
 * expression (count over training-gene total) of its {@link #DEFAULT_KNN_K} nearest scRNA-seq cells
 * (Euclidean, in that space) times the spatial cell's training-gene total L. The joint latent is the
 * scRNA-seq features and the mapped spatial cells in that space.
 */
public final class MaganMethod implements ImputationMethod {
    public static final int DEFAULT_ITERATIONS = 1000;
    public static final int DEFAULT_BATCH = 100;
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;
    public static final float BETA1 = 0.5f;
    public static final float BETA2 = 0.99f;
    public static final float ADAM_EPS = 1e-8f;
    public static final int DEFAULT_KNN_K = 50;

    private final int iterations;
    private final int batch;
    private final float learningRate;
    private final int knnK;
    private final int[] generatorHidden;
    private final int[] discriminatorHidden;

    /** The method with {@code name=value} overrides: {@code iterations}, {@code batch}, {@code learning_rate}, {@code knn_k}. */
    public static MaganMethod fromParameters(java.util.Map<String, String> overrides) {
        org.gimvi.model.methods.MethodParameters p = org.gimvi.model.methods.MethodParameters.of("magan",
                new MaganMethod().parameters(), overrides);
        return new MaganMethod(p.intValue("iterations", 0), p.intValue("batch", 1),
                (float) p.doubleValue("learning_rate", Double.MIN_VALUE, Double.POSITIVE_INFINITY), p.intValue("knn_k", 1),
                MaganModel.GENERATOR_HIDDEN, MaganModel.DISCRIMINATOR_HIDDEN);
    }

    @Override
    public java.util.Map<String, String> parameters() {
        java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("iterations", Integer.toString(iterations));
        d.put("batch", Integer.toString(batch));
        d.put("learning_rate", Float.toString(learningRate));
        d.put("knn_k", Integer.toString(knnK));
        return d;
    }

    public MaganMethod() {
        this(DEFAULT_ITERATIONS, DEFAULT_BATCH, DEFAULT_LEARNING_RATE, DEFAULT_KNN_K, MaganModel.GENERATOR_HIDDEN,
                MaganModel.DISCRIMINATOR_HIDDEN);
    }

    public MaganMethod(int iterations, int batch, float learningRate, int knnK, int[] generatorHidden,
                       int[] discriminatorHidden) {
        if (iterations < 0 || batch < 1 || knnK < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("magan: iterations ≥ 0, batch ≥ 1, knnK ≥ 1 and learningRate > 0 are "
                    + "required (got " + iterations + ", " + batch + ", " + knnK + ", " + learningRate + ")");
        }
        this.iterations = iterations;
        this.batch = batch;
        this.learningRate = learningRate;
        this.knnK = knnK;
        this.generatorHidden = generatorHidden.clone();
        this.discriminatorHidden = discriminatorHidden.clone();
    }

    @Override
    public String name() {
        return "magan";
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        DenseCountMatrix seq = task.seqDense(); // dense algebra: a sparse reference is densified once
        DenseCountMatrix sp = task.spatialCounts();
        int[] shared = task.sharedColumns();
        int[] targets = task.targetColumns();
        int d = shared.length;
        int ns = seq.rows();
        int nsp = sp.rows();
        if (d < 1 || ns < 1 || nsp < 1) {
            throw new IllegalArgumentException("magan: needs at least one training gene and one cell in each dataset "
                    + "(got " + d + " genes, " + ns + " scRNA-seq and " + nsp + " spatial cells)");
        }
        double[] seqLib = new double[ns];
        float[] seqFeatures = new float[ns * d];
        for (int i = 0; i < ns; i++) {
            seqLib[i] = seq.rowSum(i, shared);
            logNormalise(seq, i, shared, seqLib[i], seqFeatures, i * d);
        }
        if (allZero(seqLib)) {
            throw new IllegalArgumentException("magan: no scRNA-seq cell has counts on the training genes; "
                    + "check that the spatial gene names match the scRNA-seq genes");
        }
        double[] spLib = task.spatialLibrary();
        int[] identity = new int[d];
        for (int j = 0; j < d; j++) {
            identity[j] = j;
        }
        float[] spFeatures = new float[nsp * d];
        for (int i = 0; i < nsp; i++) {
            logNormalise(sp, i, identity, spLib[i], spFeatures, i * d);
        }

        ComputeBackend backend = Backends.defaultBackend();
        Rng rng = new Rng(seed);
        int b = batch;
        MaganModel model = new MaganModel(backend, d, d, b, generatorHidden, discriminatorHidden, rng.split());
        Adam optG = new Adam(backend, model.generatorParameters(), learningRate, BETA1, BETA2, ADAM_EPS, 0f);
        Adam optD = new Adam(backend, model.discriminatorParameters(), learningRate, BETA1, BETA2, ADAM_EPS, 0f);
        BatchSampler sample1 = new BatchSampler(nsp, rng.split());
        BatchSampler sample2 = new BatchSampler(ns, rng.split());
        FMatrixRMaj x1 = backend.allocate(b, d);
        FMatrixRMaj x2 = backend.allocate(b, d);
        double lossG = Double.NaN;
        double lossD = Double.NaN;
        double firstG = Double.NaN;
        double firstD = Double.NaN;
        for (int it = 0; it < iterations; it++) {
            sample1.next(spFeatures, d, b, x1);
            sample2.next(seqFeatures, d, b, x2);
            optG.zeroGrad();
            optD.zeroGrad();
            lossG = model.generatorLossAndBackward(x1, x2);
            optG.step();
            optD.zeroGrad(); // the generator pass also reached the discriminators' gradients
            lossD = model.discriminatorLossAndBackward(x1, x2);
            optD.step();
            if (it == 0) {
                firstG = lossG;
                firstD = lossD;
            }
            if (!Double.isFinite(lossG) || !Double.isFinite(lossD)) {
                throw new IllegalStateException("magan: training diverged at iteration " + it + " (loss_G " + lossG
                        + ", loss_D " + lossD + "); lower the learning rate");
            }
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        float[] mapped = new float[nsp * d];
        for (int r0 = 0; r0 < nsp; r0 += b) {
            int rows = Math.min(b, nsp - r0);
            x1.reshape(rows, d);
            System.arraycopy(spFeatures, r0 * d, x1.data, 0, rows * d);
            FMatrixRMaj out = model.mapToDomain2(x1);
            System.arraycopy(out.data, 0, mapped, r0 * d, rows * d);
        }
        x1.reshape(b, d);
        int kk = Math.min(knnK, ns);
        KnnResult nn = ExactKnn.search(mapped, nsp, seqFeatures, ns, d, kk, KnnMetric.EUCLIDEAN, false,
                WorkerPool.shared());
        int nt = targets.length;
        FMatrixRMaj predictions = new FMatrixRMaj(nsp, nt);
        for (int i = 0; i < nsp; i++) {
            for (int t = 0; t < nt; t++) {
                double s = 0;
                for (int r = 0; r < kk; r++) {
                    int cell = nn.neighbour(i, r);
                    s += seqLib[cell] > 0 ? seq.get(cell, targets[t]) / seqLib[cell] : 0;
                }
                predictions.data[i * nt + t] = (float) (spLib[i] * s / kk);
            }
        }
        FMatrixRMaj latentSeq = new FMatrixRMaj(ns, d);
        System.arraycopy(seqFeatures, 0, latentSeq.data, 0, ns * d);
        FMatrixRMaj latentSp = new FMatrixRMaj(nsp, d);
        System.arraycopy(mapped, 0, latentSp.data, 0, nsp * d);
        String notes = String.format(Locale.ROOT, "%d iterations of batch %d; loss_G %.4f -> %.4f, loss_D %.4f -> %.4f; "
                + "held-out genes by %d-NN in the scRNA-seq feature space", iterations, b, firstG, lossG, firstD, lossD, kk);
        return new ImputationResult(predictions, latentSeq, latentSp, trainSeconds, (System.nanoTime() - t1) / 1e9,
                notes, null);
    }

    private static boolean allZero(double[] v) {
        for (double x : v) {
            if (x > 0) {
                return false;
            }
        }
        return true;
    }

    static void logNormalise(DenseCountMatrix m, int row, int[] cols, double lib, float[] out, int off) {
        double scale = lib > 0 ? 1e4 / lib : 0;
        for (int j = 0; j < cols.length; j++) {
            out[off + j] = (float) Math.log1p(m.get(row, cols[j]) * scale);
        }
    }
}

package org.gimvi.model.baselines;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;

/**
 * The floor every method must beat: both datasets log-normalised on the shared training genes
 * (log(1 + 10⁴·x / total)), cosine k-NN (k = 50) from each spatial cell to the scRNA-seq cells, and
 * the prediction = the neighbours' mean relative expression of the target gene (count over the
 * cell's training-gene total), times the spatial cell's training-gene total.
 */
public final class SharedGeneKnn implements ImputationMethod {
    public static final int DEFAULT_K = 50;
    private final int k;

    public SharedGeneKnn() {
        this(DEFAULT_K);
    }

    public SharedGeneKnn(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("knn: k must be at least 1");
        }
        this.k = k;
    }

    @Override
    public String name() {
        return "knn";
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        int[] shared = task.sharedColumns();
        int[] targets = task.targetColumns();
        CountMatrix seq = task.seqCounts(); // read cell by cell: a sparse reference stays sparse
        DenseCountMatrix sp = task.spatialCounts();
        int ns = seq.rows();
        int nsp = sp.rows();
        int d = shared.length;
        double[] seqLib = new double[ns];
        float[] seqFeatures = new float[ns * d];
        for (int i = 0; i < ns; i++) {
            seqLib[i] = seq.rowSum(i, shared);
            logNormalise(seq, i, shared, seqLib[i], seqFeatures, i * d);
        }
        double[] spLib = task.spatialLibrary();
        float[] spFeatures = new float[nsp * d];
        int[] all = new int[d];
        for (int j = 0; j < d; j++) {
            all[j] = j;
        }
        for (int i = 0; i < nsp; i++) {
            logNormalise(sp, i, all, spLib[i], spFeatures, i * d);
        }
        int kk = Math.min(k, ns);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        KnnResult nn = ExactKnn.search(spFeatures, nsp, seqFeatures, ns, d, kk, KnnMetric.COSINE, false, WorkerPool.shared());
        int g = targets.length;
        FMatrixRMaj out = new FMatrixRMaj(nsp, g);
        for (int i = 0; i < nsp; i++) {
            for (int t = 0; t < g; t++) {
                double s = 0;
                for (int r = 0; r < kk; r++) {
                    int cell = nn.neighbour(i, r);
                    s += seqLib[cell] > 0 ? seq.get(cell, targets[t]) / seqLib[cell] : 0;
                }
                out.data[i * g + t] = (float) (spLib[i] * s / kk);
            }
        }
        return ImputationResult.predictionsOnly(out, trainSeconds, (System.nanoTime() - t1) / 1e9, "k = " + kk);
    }

    static void logNormalise(CountMatrix m, int row, int[] cols, double lib, float[] out, int off) {
        double scale = lib > 0 ? 1e4 / lib : 0;
        for (int j = 0; j < cols.length; j++) {
            out[off + j] = (float) Math.log1p(m.get(row, cols[j]) * scale);
        }
    }
}

package org.gimvi.model.baselines;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.model.baselines.preprocess.Covariance;
import org.gimvi.model.baselines.preprocess.LibrarySizeNormalisation;
import org.gimvi.model.baselines.preprocess.LogNormalisation;
import org.gimvi.model.baselines.preprocess.SymmetricMatrixPower;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.MethodParameters;

/**
 * CORAL (Sun, Feng and Saenko 2016) followed by k-NN regression, the gimVI paper's baseline. Both
 * datasets are log-normalised on the training genes (log1p(10⁴·x / training-gene total), as the
 * {@code knn} floor); the scRNA-seq features are whitened with their own covariance and re-coloured
 * with the spatial one, D_s ← D_s·(C_s + I)^(−1/2)·(C_t + I)^(1/2) (the paper's Algorithm 1: no
 * centring, the identity regularises, so genes without variance are harmless). Each spatial cell is
 * then predicted by the mean relative expression (count over training-gene total) of its k nearest
 * transformed scRNA-seq cells (Euclidean), times L.
 */
public final class CoralKnn implements ImputationMethod {
    public static final String K = "k";

    private final MethodParameters params;

    public CoralKnn() {
        this(Map.of());
    }

    public CoralKnn(Map<String, String> overrides) {
        this.params = MethodParameters.of(name(), defaults(), overrides);
        params.intValue(K, 1);
    }

    /** The gimVI paper's k = 10. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(K, "10");
        return d;
    }

    @Override
    public String name() {
        return "coral";
    }

    @Override
    public Map<String, String> parameters() {
        return params.asMap();
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        TaskData data = new TaskData(task);
        if (data.seqCells() < 2 || data.spatialCells() < 2) {
            throw new IllegalArgumentException("coral: the covariances need at least 2 cells in each dataset (scRNA-seq "
                    + data.seqCells() + ", spatial " + data.spatialCells() + ")");
        }
        DMatrixRMaj source = LogNormalisation.logNormalise(data.seqShared, data.seqSharedTotal, LibrarySizeNormalisation.SEURAT_SCALE_FACTOR);
        DMatrixRMaj target = LogNormalisation.logNormalise(data.spatial, data.spatialTotal, LibrarySizeNormalisation.SEURAT_SCALE_FACTOR);
        int d = source.numCols;
        DMatrixRMaj cs = new DMatrixRMaj(d, d);
        DMatrixRMaj ct = new DMatrixRMaj(d, d);
        Covariance.of(source, cs);
        Covariance.of(target, ct);
        for (int j = 0; j < d; j++) {
            cs.add(j, j, 1);
            ct.add(j, j, 1);
        }
        DMatrixRMaj whiten = new DMatrixRMaj(d, d);
        DMatrixRMaj recolour = new DMatrixRMaj(d, d);
        SymmetricMatrixPower.power(cs, -0.5, whiten);
        SymmetricMatrixPower.power(ct, 0.5, recolour);
        DMatrixRMaj transform = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(whiten, recolour, transform);
        DMatrixRMaj aligned = new DMatrixRMaj(data.seqCells(), d);
        CommonOps_DDRM.mult(source, transform, aligned);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        int k = Math.min(params.intValue(K, 1), data.seqCells());
        KnnResult nn = Neighbours.search(target, aligned, k, KnnMetric.EUCLIDEAN);
        DMatrixRMaj relative = NeighbourAverage.uniform(nn, k, data.seqTargetRelativeExpression());
        double imputeSeconds = (System.nanoTime() - t1) / 1e9;
        return new ImputationResult(data.timesSpatialTotal(relative), Neighbours.toFloatMatrix(aligned),
                Neighbours.toFloatMatrix(target), trainSeconds, imputeSeconds,
                String.format(Locale.ROOT, "k = %d, %d genes", k, d), null);
    }
}

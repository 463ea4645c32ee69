package org.gimvi.model.baselines;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.model.baselines.preprocess.GeneStandardisation;
import org.gimvi.model.baselines.preprocess.LibrarySizeNormalisation;
import org.gimvi.model.baselines.preprocess.LogNormalisation;
import org.gimvi.model.baselines.preprocess.Pca;
import org.gimvi.model.baselines.preprocess.RowL2Normalisation;
import org.gimvi.model.baselines.preprocess.TruncatedSvd;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.MethodParameters;
import org.gimvi.model.methods.PurityReference;

/**
 * SpaGE (Abdelaal et al. 2020), as the authors' {@code SpaGE.main} computes it:
 * <ol>
 * <li>inputs: scRNA-seq log(CPM + 1) over all its genes; spatial log(x / total · median total + 1);</li>
 * <li>z-score every shared gene in each dataset (population sd, as scipy.stats.zscore); genes without
 *     variance in either dataset are dropped and reported;</li>
 * <li>PCA of each dataset on the shared genes, n_pv components (Ps, Pt, orthonormal rows);</li>
 * <li>principal vectors (PRECISE): SVD Ps·Ptᵀ = U·Σ·Vᵀ, S = Uᵀ·Ps, T = Vᵀ·Pt, rows normalised; keep the
 *     leading pairs counted by diag(S·Tᵀ) > min_cosine;</li>
 * <li>project both datasets on the kept source vectors S; for each spatial cell its k nearest
 *     scRNA-seq cells by cosine distance, those at distance &lt; 1 kept (k′ of them), weights
 *     w_j = (1 − d_j/Σd)/(k′ − 1) (they sum to 1);</li>
 * <li>prediction = Σ w_j · (the neighbour's log(CPM + 1) of the gene).</li>
 * </ol>
 * SpaGE's output is relative expression on a log scale; following the project's convention it is
 * multiplied by L, the spatial cell's training-gene total, so dividing by L returns SpaGE's own value.
 *
 * <p>The authors orthonormalise the PCA loadings (scipy.linalg.orth) before the principal vectors;
 * PCA components are already orthonormal and principal vectors depend only on the two subspaces, so
 * that step changes nothing here. Guards where the authors' code would divide by zero: a spatial cell
 * with a single neighbour at distance &lt; 1 takes its value; one whose kept distances are all zero
 * averages them; one with none is predicted 0 (counted in the notes).
 */
public final class SpaGE implements ImputationMethod {
    public static final String N_PV = "n_pv";
    public static final String K = "k";
    public static final String MIN_COSINE = "min_cosine";
    public static final String MAX_DISTANCE = "max_distance";
    /** The Li et al. 2022 harness's rule: half the training genes, at most 100. */
    static final int MAX_AUTO_PV = 100;

    private final MethodParameters params;

    public SpaGE() {
        this(Map.of());
    }

    public SpaGE(Map<String, String> overrides) {
        this.params = MethodParameters.of(name(), defaults(), overrides);
        params.intValue(K, 1);
        params.doubleValue(MIN_COSINE, -1, 1);
        params.doubleValue(MAX_DISTANCE, 0, 2);
        if (!params.isAuto(N_PV)) {
            params.intValue(N_PV, 1);
        }
    }

    /** Published defaults: n_pv = #training genes / 2 (at most 100), k = 50, cosine > 0.3, distance &lt; 1. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(N_PV, "auto");
        d.put(K, "50");
        d.put(MIN_COSINE, "0.3");
        d.put(MAX_DISTANCE, "1");
        return d;
    }

    @Override
    public String name() {
        return "spage";
    }

    @Override
    public Map<String, String> parameters() {
        return params.asMap();
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        TaskData data = new TaskData(task);
        DMatrixRMaj seqLog = LogNormalisation.logNormalise(data.seqAll, data.seqAllTotal, LibrarySizeNormalisation.CPM);
        double medianTotal = LibrarySizeNormalisation.median(data.spatialTotal);
        DMatrixRMaj spLog = LogNormalisation.logNormalise(data.spatial, data.spatialTotal, medianTotal);
        DMatrixRMaj seqShared = TaskData.columns(seqLog, data.shared);

        GeneStandardisation.Fit seqFit = GeneStandardisation.fit(seqShared, GeneStandardisation.POPULATION);
        GeneStandardisation.Fit spFit = GeneStandardisation.fit(spLog, GeneStandardisation.POPULATION);
        int[] kept = GeneStandardisation.keptInBoth(seqFit, spFit);
        int cells = Math.min(data.seqCells(), data.spatialCells());
        int nPv = params.isAuto(N_PV) ? Math.min(MAX_AUTO_PV, kept.length / 2) : params.intValue(N_PV, 1);
        if (nPv < 1 || nPv > kept.length || nPv > cells - 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "spage: n_pv = %d principal vectors need at least that many training genes with variance in both "
                            + "datasets (%d have) and more cells than that in each (%d); lower n_pv or add training genes",
                    nPv, kept.length, cells));
        }
        DMatrixRMaj zs = GeneStandardisation.applyColumns(seqShared, seqFit, kept, Double.POSITIVE_INFINITY);
        DMatrixRMaj zt = GeneStandardisation.applyColumns(spLog, spFit, kept, Double.POSITIVE_INFINITY);

        Pca.Result seqPca = Pca.fit(zs, nPv);
        Pca.Result spPca = Pca.fit(zt, nPv);
        DMatrixRMaj ps = seqPca.components();
        DMatrixRMaj pt = spPca.components();
        DMatrixRMaj cross = new DMatrixRMaj(nPv, nPv);
        CommonOps_DDRM.multTransB(ps, pt, cross);
        TruncatedSvd.Result pv = TruncatedSvd.compute(cross, nPv);
        DMatrixRMaj source = new DMatrixRMaj(nPv, kept.length);
        DMatrixRMaj target = new DMatrixRMaj(nPv, kept.length);
        CommonOps_DDRM.multTransA(pv.u(), ps, source);
        CommonOps_DDRM.multTransA(pv.v(), pt, target);
        RowL2Normalisation.apply(source, source);
        RowL2Normalisation.apply(target, target);
        double minCosine = params.doubleValue(MIN_COSINE, -1, 1);
        int effective = 0;
        for (int c = 0; c < nPv; c++) {
            double cos = 0;
            for (int j = 0; j < kept.length; j++) {
                cos += source.get(c, j) * target.get(c, j);
            }
            if (cos > minCosine) {
                effective++; // the authors count the pairs above the threshold and keep that many leading ones
            }
        }
        if (effective == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "spage: no principal-vector pair has cosine similarity above min_cosine = %s, so the datasets share "
                            + "no direction to align on; lower min_cosine or check that the shared genes match",
                    params.string(MIN_COSINE)));
        }
        DMatrixRMaj keptVectors = CommonOps_DDRM.extract(source, 0, effective, 0, kept.length);
        DMatrixRMaj seqProjected = new DMatrixRMaj(data.seqCells(), effective);
        DMatrixRMaj spProjected = new DMatrixRMaj(data.spatialCells(), effective);
        CommonOps_DDRM.multTransB(zs, keptVectors, seqProjected);
        CommonOps_DDRM.multTransB(zt, keptVectors, spProjected);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        int k = Math.min(params.intValue(K, 1), data.seqCells());
        KnnResult nn = Neighbours.search(spProjected, seqProjected, k, KnnMetric.COSINE);
        DMatrixRMaj y = TaskData.columns(seqLog, data.targets);
        DMatrixRMaj relative = new DMatrixRMaj(data.spatialCells(), data.targets.length);
        double maxDistance = params.doubleValue(MAX_DISTANCE, 0, 2);
        int withoutNeighbour = weightedMeans(nn, k, maxDistance, y, relative);
        double imputeSeconds = (System.nanoTime() - t1) / 1e9;

        String notes = String.format(Locale.ROOT, "n_pv %d, %d principal vectors with cosine > %s, k = %d%s%s",
                nPv, effective, params.string(MIN_COSINE), k,
                seqFit.dropped().length + spFit.dropped().length == 0 ? "" : ", dropped zero-variance genes: "
                        + droppedReport(task.spatialGenes(), seqFit, spFit),
                withoutNeighbour == 0 ? "" : ", " + withoutNeighbour + " spatial cells without a neighbour at distance < "
                        + params.string(MAX_DISTANCE) + " predicted 0");
        // k-NN purity's reference: the per-dataset principal components SpaGE aligns, each dataset alone
        PurityReference ownPca = PurityReference.computed("PCA of each dataset (n_pv = " + nPv + " components)",
                () -> new PurityReference.Latents(Neighbours.toFloatMatrix(seqPca.scores()),
                        Neighbours.toFloatMatrix(spPca.scores())));
        return new ImputationResult(data.timesSpatialTotal(relative), Neighbours.toFloatMatrix(seqProjected),
                Neighbours.toFloatMatrix(spProjected), trainSeconds, imputeSeconds, notes, null)
                .withPurityReference(ownPca);
    }

    /** SpaGE's weighted mean per spatial cell; returns how many cells had no neighbour within range. */
    static int weightedMeans(KnnResult nn, int k, double maxDistance, DMatrixRMaj y, DMatrixRMaj out) {
        int g = y.numCols;
        int missing = 0;
        double[] w = new double[k];
        int[] idx = new int[k];
        for (int i = 0; i < nn.queries(); i++) {
            int kk = 0;
            double sum = 0;
            for (int r = 0; r < k; r++) {
                double d = nn.distance(i, r);
                if (d < maxDistance) {
                    w[kk] = d;
                    idx[kk++] = nn.neighbour(i, r);
                    sum += d;
                }
            }
            if (kk == 0) {
                missing++;
                continue;
            }
            for (int j = 0; j < kk; j++) {
                if (kk == 1) {
                    w[j] = 1;
                } else if (sum > 0) {
                    w[j] = (1 - w[j] / sum) / (kk - 1);
                } else {
                    w[j] = 1.0 / kk;
                }
            }
            for (int t = 0; t < g; t++) {
                double s = 0;
                for (int j = 0; j < kk; j++) {
                    s += w[j] * y.get(idx[j], t);
                }
                out.set(i, t, s);
            }
        }
        return missing;
    }

    private static String droppedReport(String[] sharedNames, GeneStandardisation.Fit seq, GeneStandardisation.Fit sp) {
        StringBuilder b = new StringBuilder();
        if (seq.dropped().length > 0) {
            b.append("scRNA-seq [").append(seq.droppedNames(sharedNames)).append(']');
        }
        if (sp.dropped().length > 0) {
            b.append(b.length() == 0 ? "" : " ").append("spatial [").append(sp.droppedNames(sharedNames)).append(']');
        }
        return b.toString();
    }
}

package org.gimvi.model.baselines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.model.baselines.preprocess.CellStandardisation;
import org.gimvi.model.baselines.preprocess.DiagonalCca;
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
 * Seurat v3 anchors (Stuart et al. 2019) as FindTransferAnchors(reduction = "cca") and TransferData
 * compute them, the scRNA-seq data as reference and the spatial data as query:
 * <ol>
 * <li>LogNormalize both (log1p(10⁴·x / total); the scRNA-seq total over all its genes, the spatial
 *     total over the training genes); ScaleData on the shared genes (sample sd, clipped at scale_max);
 *     genes without variance in either dataset are dropped and reported;</li>
 * <li>RunCCA: each cell's scaled vector standardised, canonical vectors = leading singular vectors of
 *     X_ref·X_queryᵀ ({@link DiagonalCca}), dims = min(30, #genes − 1); each cell's vector L2-normalised;</li>
 * <li>neighbours in that space (Euclidean): within each dataset max(k_anchor, k_score) + 1 (the cell
 *     itself included), across datasets max(k_anchor, k_score);</li>
 * <li>anchors = mutual nearest neighbours among the k_anchor nearest across datasets;</li>
 * <li>filter (k_filter; "none" skips it, as the Li et al. 2022 harness does): keep an anchor when its
 *     query cell is among the k_filter nearest query cells of its reference cell in the L2-normalised
 *     log-normalised gene space (skipped when a dataset has fewer than k_filter cells, as Seurat does);</li>
 * <li>score = shared neighbours of the two cells' k_score neighbourhoods (own and other dataset),
 *     rescaled by the 1% and 90% quantiles and clipped to [0, 1];</li>
 * <li>TransferData: for each query cell its k_weight nearest anchor query cells in the weight space,
 *     d′ = 1 − d / d_(k_weight), each anchor of those cells weighted 1 − exp(−d′·score / (2/sd_weight)²)
 *     (at most k_weight anchors), normalised; prediction = Σ weight · (the anchor's reference cell's
 *     log-normalised expression).</li>
 * </ol>
 * The weight space (weight_reduction): "pca" = a PCA of the query's scaled genes with dims components
 * (what the Li et al. 2022 harness passes, TransferData(weight.reduction = 'pca')); "cca" = the
 * query's L2-normalised canonical vectors. The filter uses all shared genes (Seurat's TopDimFeatures
 * picks the top-loading genes per dimension, at most max(2·dims, 200); on a panel of a few dozen genes
 * that is essentially all of them). Neighbour searches are exact (Seurat uses Annoy, approximate).
 * The prediction is relative expression on a log scale and is multiplied by L.
 */
public final class SeuratAnchors implements ImputationMethod {
    public static final String DIMS = "dims";
    public static final String K_ANCHOR = "k_anchor";
    public static final String K_FILTER = "k_filter";
    public static final String K_SCORE = "k_score";
    public static final String K_WEIGHT = "k_weight";
    public static final String SD_WEIGHT = "sd_weight";
    public static final String WEIGHT_REDUCTION = "weight_reduction";
    public static final String SCALE_MAX = "scale_max";
    static final int MAX_AUTO_DIMS = 30;

    private final MethodParameters params;

    public SeuratAnchors() {
        this(Map.of());
    }

    public SeuratAnchors(Map<String, String> overrides) {
        this.params = MethodParameters.of(name(), defaults(), overrides);
        if (!params.isAuto(DIMS)) {
            params.intValue(DIMS, 1);
        }
        params.intValue(K_ANCHOR, 1);
        kFilter();
        params.intValue(K_SCORE, 1);
        params.intValue(K_WEIGHT, 1);
        params.doubleValue(SD_WEIGHT, Double.MIN_VALUE, Double.MAX_VALUE);
        params.choice(WEIGHT_REDUCTION, "pca", "cca");
        params.doubleValue(SCALE_MAX, Double.MIN_VALUE, Double.POSITIVE_INFINITY);
    }

    /**
     * Seurat's defaults (k.anchor 5, k.score 30, k.weight 50, sd.weight 1, scale.max 10) with the
     * anchor filter off (k.filter = NA), as the Li et al. 2022 benchmark runs TransferData and as
     * current Seurat defaults; {@code k_filter=200} restores Seurat v3's filter. On the osmFISH/Allen
     * paper split: 0.191 spearman_norm without the filter, 0.217 with it (the public run: 0.185).
     */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(DIMS, "auto");
        d.put(K_ANCHOR, "5");
        d.put(K_FILTER, "none");
        d.put(K_SCORE, "30");
        d.put(K_WEIGHT, "50");
        d.put(SD_WEIGHT, "1");
        d.put(WEIGHT_REDUCTION, "pca");
        d.put(SCALE_MAX, "10");
        return d;
    }

    @Override
    public String name() {
        return "seurat";
    }

    @Override
    public Map<String, String> parameters() {
        return params.asMap();
    }

    /** k_filter, or 0 for "none". */
    private int kFilter() {
        String s = params.string(K_FILTER);
        return s.equalsIgnoreCase("none") || s.equalsIgnoreCase("na") ? 0 : params.intValue(K_FILTER, 1);
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        TaskData data = new TaskData(task);
        int n1 = data.seqCells();
        int n2 = data.spatialCells();
        DMatrixRMaj refLog = LogNormalisation.logNormalise(data.seqAll, data.seqAllTotal, LibrarySizeNormalisation.SEURAT_SCALE_FACTOR);
        DMatrixRMaj queryLog = LogNormalisation.logNormalise(data.spatial, data.spatialTotal, LibrarySizeNormalisation.SEURAT_SCALE_FACTOR);
        DMatrixRMaj refShared = TaskData.columns(refLog, data.shared);

        GeneStandardisation.Fit refFit = GeneStandardisation.fit(refShared, GeneStandardisation.SAMPLE);
        GeneStandardisation.Fit queryFit = GeneStandardisation.fit(queryLog, GeneStandardisation.SAMPLE);
        int[] features = GeneStandardisation.keptInBoth(refFit, queryFit);
        int f = features.length;
        int dims = params.isAuto(DIMS) ? Math.min(MAX_AUTO_DIMS, f - 1) : params.intValue(DIMS, 1);
        // per-cell standardisation removes one direction, so f genes carry at most f − 1 canonical dimensions
        if (dims < 1 || dims > f - 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "seurat: dims = %d canonical dimensions need at least %d training genes with variance in both "
                            + "datasets, but %d have; lower dims or add training genes", dims, dims + 1, f));
        }
        int kAnchor = params.intValue(K_ANCHOR, 1);
        int kScore = params.intValue(K_SCORE, 1);
        int kNeighbour = Math.max(kAnchor, kScore);
        if (Math.min(n1, n2) < kNeighbour + 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "seurat: k_anchor/k_score = %d neighbours need at least %d cells in each dataset (scRNA-seq %d, "
                            + "spatial %d); lower k_score", kNeighbour, kNeighbour + 1, n1, n2));
        }
        double scaleMax = params.doubleValue(SCALE_MAX, Double.MIN_VALUE, Double.POSITIVE_INFINITY);
        DMatrixRMaj refScaled = GeneStandardisation.applyColumns(refShared, refFit, features, scaleMax);
        DMatrixRMaj queryScaled = GeneStandardisation.applyColumns(queryLog, queryFit, features, scaleMax);
        DMatrixRMaj refStd = new DMatrixRMaj(n1, f);
        DMatrixRMaj queryStd = new DMatrixRMaj(n2, f);
        int flat = CellStandardisation.apply(refScaled, refStd) + CellStandardisation.apply(queryScaled, queryStd);
        DiagonalCca.Result cca = DiagonalCca.fit(refStd, queryStd, dims);
        DMatrixRMaj ref = cca.u().copy();
        DMatrixRMaj query = cca.v().copy();
        RowL2Normalisation.apply(ref, ref);
        RowL2Normalisation.apply(query, query);

        KnnResult aa = Neighbours.search(ref, ref, kNeighbour + 1, KnnMetric.EUCLIDEAN);
        KnnResult bb = Neighbours.search(query, query, kNeighbour + 1, KnnMetric.EUCLIDEAN);
        KnnResult ab = Neighbours.search(ref, query, kNeighbour, KnnMetric.EUCLIDEAN);
        KnnResult ba = Neighbours.search(query, ref, kNeighbour, KnnMetric.EUCLIDEAN);
        Anchors found = Anchors.mutual(ab, ba, kAnchor);
        int foundCount = found.size();
        int kFilter = kFilter();
        boolean filtered = kFilter > 0 && Math.min(n1, n2) >= kFilter;
        if (filtered) {
            DMatrixRMaj refGenes = TaskData.columns(refShared, features);
            DMatrixRMaj queryGenes = TaskData.columns(queryLog, features);
            RowL2Normalisation.apply(refGenes, refGenes);
            RowL2Normalisation.apply(queryGenes, queryGenes);
            KnnResult filter = Neighbours.search(refGenes, queryGenes, kFilter, KnnMetric.EUCLIDEAN);
            found = found.keepIf((a, b) -> contains(filter, a, b, kFilter));
        }
        if (found.size() == 0) {
            throw new IllegalArgumentException("seurat: no anchors survived (mutual neighbours " + foundCount
                    + ", after the k_filter = " + params.string(K_FILTER) + " filter 0); set k_filter=none or raise k_anchor");
        }
        double[] score = found.scores(aa, bb, ab, ba, kScore, n1);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        DMatrixRMaj weightSpace;
        if (params.choice(WEIGHT_REDUCTION, "pca", "cca").equals("pca")) {
            // Seurat's RunPCA on the query's scale.data: irlba on the (already centred) scaled matrix, embeddings u·d
            TruncatedSvd.Result pca = TruncatedSvd.compute(queryScaled, dims);
            weightSpace = new DMatrixRMaj(n2, dims);
            for (int i = 0; i < n2; i++) {
                for (int c = 0; c < dims; c++) {
                    weightSpace.set(i, c, pca.u().get(i, c) * pca.s()[c]);
                }
            }
        } else {
            weightSpace = query;
        }
        int kWeight = params.intValue(K_WEIGHT, 1);
        TransferWeights weights = TransferWeights.compute(found, score, weightSpace, kWeight,
                params.doubleValue(SD_WEIGHT, Double.MIN_VALUE, Double.MAX_VALUE));
        DMatrixRMaj refTargets = TaskData.columns(refLog, data.targets);
        DMatrixRMaj relative = weights.transfer(found, refTargets);
        double imputeSeconds = (System.nanoTime() - t1) / 1e9;

        String dropped = refFit.dropped().length + queryFit.dropped().length == 0 ? ""
                : ", dropped zero-variance genes: scRNA-seq [" + refFit.droppedNames(task.spatialGenes())
                + "] spatial [" + queryFit.droppedNames(task.spatialGenes()) + "]";
        String notes = String.format(Locale.ROOT, "dims %d, %d genes, %d mutual-neighbour anchors, %s, weights in %s space%s%s",
                dims, f, foundCount,
                filtered ? found.size() + " after k_filter " + kFilter : "no k_filter",
                params.string(WEIGHT_REDUCTION), dropped, flat == 0 ? "" : ", " + flat + " cells with constant scaled genes");
        return new ImputationResult(data.timesSpatialTotal(relative), Neighbours.toFloatMatrix(ref),
                Neighbours.toFloatMatrix(query), trainSeconds, imputeSeconds, notes, null)
                .withPurityReference(singleDatasetPca(refScaled, queryScaled, dims));
    }

    /**
     * k-NN purity's reference for Seurat (metrics.md §2): each dataset's own PCA (RunPCA on its
     * scale.data), with as many components as the CCA has dimensions.
     */
    static PurityReference singleDatasetPca(DMatrixRMaj refScaled, DMatrixRMaj queryScaled, int dims) {
        return PurityReference.computed("PCA of each dataset's scaled genes (" + dims + " components)",
                () -> new PurityReference.Latents(Neighbours.toFloatMatrix(Pca.fit(refScaled, dims).scores()),
                        Neighbours.toFloatMatrix(Pca.fit(queryScaled, dims).scores())));
    }

    private static boolean contains(KnnResult nn, int query, int ref, int k) {
        for (int r = 0; r < k; r++) {
            if (nn.neighbour(query, r) == ref) {
                return true;
            }
        }
        return false;
    }

    /** Anchor pairs (reference cell, query cell), in Seurat's order: by reference cell, then neighbour rank. */
    static final class Anchors {
        final int[] ref;
        final int[] query;

        Anchors(int[] ref, int[] query) {
            this.ref = ref;
            this.query = query;
        }

        int size() {
            return ref.length;
        }

        /** Mutual nearest neighbours among the k nearest across datasets (FindAnchorPairs). */
        static Anchors mutual(KnnResult ab, KnnResult ba, int k) {
            List<int[]> pairs = new ArrayList<>();
            for (int a = 0; a < ab.queries(); a++) {
                for (int r = 0; r < k; r++) {
                    int b = ab.neighbour(a, r);
                    if (contains(ba, b, a, k)) {
                        pairs.add(new int[] {a, b});
                    }
                }
            }
            return new Anchors(pairs.stream().mapToInt(p -> p[0]).toArray(), pairs.stream().mapToInt(p -> p[1]).toArray());
        }

        interface PairTest {
            boolean keep(int ref, int query);
        }

        Anchors keepIf(PairTest test) {
            int[] r = new int[size()];
            int[] q = new int[size()];
            int n = 0;
            for (int i = 0; i < size(); i++) {
                if (test.keep(ref[i], query[i])) {
                    r[n] = ref[i];
                    q[n++] = query[i];
                }
            }
            return new Anchors(Arrays.copyOf(r, n), Arrays.copyOf(q, n));
        }

        /**
         * ScoreAnchors: |N(a) ∩ N(b)| where N(a) = a's k nearest reference cells and k nearest query cells
         * (query indices offset by n1), likewise N(b); rescaled by the 1% and 90% quantiles, clipped to [0, 1].
         */
        double[] scores(KnnResult aa, KnnResult bb, KnnResult ab, KnnResult ba, int k, int n1) {
            double[] s = new double[size()];
            int[] setA = new int[2 * k];
            int[] setB = new int[2 * k];
            for (int i = 0; i < size(); i++) {
                for (int r = 0; r < k; r++) {
                    setA[r] = aa.neighbour(ref[i], r);
                    setA[k + r] = ab.neighbour(ref[i], r) + n1;
                    setB[r] = ba.neighbour(query[i], r);
                    setB[k + r] = bb.neighbour(query[i], r) + n1;
                }
                s[i] = sharedCount(setA, setB);
            }
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            double hi = quantile(sorted, 0.9);
            double lo = quantile(sorted, 0.01);
            for (int i = 0; i < s.length; i++) {
                // all scores equal: Seurat divides by zero; every anchor is then equally good
                s[i] = hi > lo ? Math.max(0, Math.min(1, (s[i] - lo) / (hi - lo))) : 1;
            }
            return s;
        }

        /** Distinct values present in both (R's length(intersect(x, y))). */
        private static int sharedCount(int[] x, int[] y) {
            int[] a = Arrays.stream(x).distinct().sorted().toArray();
            int[] b = Arrays.stream(y).distinct().sorted().toArray();
            int i = 0;
            int j = 0;
            int n = 0;
            while (i < a.length && j < b.length) {
                if (a[i] == b[j]) {
                    n++;
                    i++;
                    j++;
                } else if (a[i] < b[j]) {
                    i++;
                } else {
                    j++;
                }
            }
            return n;
        }

        /** R's default quantile (type 7) of sorted values. */
        static double quantile(double[] sorted, double p) {
            double h = (sorted.length - 1) * p;
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
        }
    }
}

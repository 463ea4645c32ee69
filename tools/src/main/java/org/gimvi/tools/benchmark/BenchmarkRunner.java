package org.gimvi.tools.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;
import org.gimvi.metrics.benchmark.LiBenchmarkScores;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.metrics.integration.Curve;
import org.gimvi.metrics.integration.EntropyOfMixing;
import org.gimvi.metrics.integration.KnnPurity;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.SingleDatasetLatent;
import org.gimvi.model.data.CellFilter;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;

/**
 * Runs methods × seeds on one dataset and protocol: builds the gene splits, hides the held-out genes,
 * runs every method, scores every evaluated gene, and writes the predictions.
 *
 * <p>Cells: spatial cells with no counts on the training genes of any split are removed (the same
 * cells for every split of a protocol, so prediction files have one row set); scRNA-seq cells with no
 * counts on the training genes likewise. Scores: {@code spearman} between true counts and predictions;
 * {@code spearman_norm} after dividing both by L, the cell's training-gene total; {@code pearson} on
 * the raw values.
 */
public final class BenchmarkRunner {
    private final Path out;
    private final List<ImputationMethod> methods;
    private final long[] seeds;
    private final Consumer<String> log;
    private final List<GeneScore> geneScores = new ArrayList<>();
    private final List<RunSummary> summaries = new ArrayList<>();
    private final List<IntegrationCurves> curves = new ArrayList<>();
    private final java.util.Map<String, FMatrixRMaj[]> singleLatents = new java.util.HashMap<>();
    private int singleDatasetEpochs = 200;

    /** Mixing and purity curves of one latent method and seed (paper protocol). */
    public record IntegrationCurves(String dataset, String method, long seed, Curve mixing, KnnPurity.Result puritySeq,
                                    KnnPurity.Result puritySpatial) {
    }

    public List<IntegrationCurves> curves() {
        return curves;
    }

    /** The paper's Figure 3 inputs for one gene of one run (paper protocol, methods with a posterior). */
    public record GeneUncertainty(String dataset, String method, long seed, String gene, double uncertainty,
                                  double residualRmse, double spearman) {
    }

    private final List<GeneUncertainty> uncertainties = new ArrayList<>();
    private double[] lastUncertainty;
    private double[] lastPredictability;

    public List<GeneUncertainty> uncertainties() {
        return uncertainties;
    }

    private boolean purity = true;

    /** k-NN purity needs two extra single-dataset VAEs per dataset and seed; off for quick runs. */
    public void setPurity(boolean on) {
        this.purity = on;
    }

    /** Epochs of the single-dataset VAEs that give k-NN purity its reference spaces. */
    public void setSingleDatasetEpochs(int epochs) {
        this.singleDatasetEpochs = epochs;
    }

    public BenchmarkRunner(Path out, List<ImputationMethod> methods, long[] seeds, Consumer<String> log) {
        this.out = out;
        this.methods = methods;
        this.seeds = seeds;
        this.log = log;
    }

    public List<GeneScore> geneScores() {
        return geneScores;
    }

    public List<RunSummary> summaries() {
        return summaries;
    }

    /** @param protocol "paper" or "kfold" */
    public void run(PairedDataset d, String protocol) throws IOException {
        // shared genes, in the spatial panel's order
        GeneMatching.Result match = GeneMatching.match(d.spatialGenes(), d.seqGenes(), true);
        List<Integer> sharedCols = new ArrayList<>();
        for (int j = 0; j < d.spatialGenes().length; j++) {
            if (match.positions()[j] >= 0) {
                sharedCols.add(j);
            }
        }
        if (sharedCols.size() < 3) {
            throw new IllegalArgumentException(d.name() + ": only " + sharedCols.size() + " spatial genes are also scRNA-seq "
                    + "genes (" + match.summary("the spatial panel", "scRNA-seq") + "); need at least 3");
        }
        String[] shared = new String[sharedCols.size()];
        int[] sharedIdx = new int[shared.length];
        for (int q = 0; q < shared.length; q++) {
            sharedIdx[q] = sharedCols.get(q);
            shared[q] = d.spatialGenes()[sharedIdx[q]];
        }
        List<GeneSplits.Split> splits = protocol.equals("paper") ? List.of(paperSplit(d, shared)) : GeneSplits.kfold(shared);

        // cells kept for the whole protocol
        boolean[] keepSp = new boolean[d.spatialCounts().rows()];
        Arrays.fill(keepSp, true);
        boolean[] keepSeq = new boolean[d.seqCounts().rows()];
        Arrays.fill(keepSeq, true);
        int[] seqShared = new int[shared.length];
        for (int q = 0; q < shared.length; q++) {
            seqShared[q] = match.positions()[sharedIdx[q]];
        }
        for (GeneSplits.Split s : splits) {
            int[] spCols = select(sharedIdx, s.training());
            int[] seqCols = select(seqShared, s.training());
            mark(keepSp, CellFilter.nonEmptyRows(d.spatialCounts(), spCols));
            mark(keepSeq, CellFilter.nonEmptyRows(d.seqCounts(), seqCols));
        }
        int[] spRows = indices(keepSp);
        int[] seqRows = indices(keepSeq);
        log.accept(String.format(Locale.ROOT, "%s [%s]: %d shared genes, %d split(s); spatial cells %d of %d kept, "
                        + "scRNA-seq cells %d of %d kept (cells with no counts on the training genes removed)",
                d.name(), protocol, shared.length, splits.size(), spRows.length, keepSp.length, seqRows.length, keepSeq.length));
        DenseCountMatrix seq = d.seqCounts().selectRows(seqRows);
        DenseCountMatrix spAll = d.spatialCounts().selectRows(spRows);
        String[] cells = new String[spRows.length];
        for (int i = 0; i < spRows.length; i++) {
            cells[i] = d.spatialCells()[spRows[i]];
        }

        // evaluated genes: the held-out genes of every split, in shared order
        int[] evaluated = splits.stream().flatMapToInt(s -> Arrays.stream(s.heldOut())).sorted().toArray();
        String[] evalNames = new String[evaluated.length];
        for (int e = 0; e < evaluated.length; e++) {
            evalNames[e] = shared[evaluated[e]];
        }
        DenseCountMatrix truth = spAll.selectColumns(select(sharedIdx, evaluated));
        Path predDir = out.resolve("predictions").resolve(safe(d.name())).resolve(protocol);
        CsvOutputs.writeMatrix(predDir.resolve("truth.csv"), cells, evalNames, truth.data());

        for (ImputationMethod method : methods) {
            for (long seed : seeds) {
                runMethod(d.name(), protocol, method, seed, splits, shared, sharedIdx, seq, d.seqGenes(), spAll, cells,
                        evaluated, evalNames, truth, predDir);
            }
        }
    }

    private static GeneSplits.Split paperSplit(PairedDataset d, String[] shared) {
        if (d.paperHeldOut() == null) {
            return GeneSplits.paper(shared);
        }
        List<Integer> held = new ArrayList<>();
        for (String g : d.paperHeldOut()) {
            for (int q = 0; q < shared.length; q++) {
                if (shared[q].equalsIgnoreCase(g)) {
                    held.add(q);
                }
            }
        }
        int[] h = held.stream().mapToInt(Integer::intValue).sorted().toArray();
        boolean[] isHeld = new boolean[shared.length];
        for (int x : h) {
            isHeld[x] = true;
        }
        int[] training = new int[shared.length - h.length];
        int k = 0;
        for (int q = 0; q < shared.length; q++) {
            if (!isHeld[q]) {
                training[k++] = q;
            }
        }
        return new GeneSplits.Split(0, h, training);
    }

    private void runMethod(String dataset, String protocol, ImputationMethod method, long seed,
                           List<GeneSplits.Split> splits, String[] shared, int[] sharedIdx, DenseCountMatrix seq,
                           String[] seqGenes, DenseCountMatrix spAll, String[] cells, int[] evaluated, String[] evalNames,
                           DenseCountMatrix truth, Path predDir) throws IOException {
        int n = spAll.rows();
        float[] pred = new float[n * evaluated.length];
        Arrays.fill(pred, Float.NaN);
        double[] trainingTotal = new double[n * evaluated.length]; // L per cell, for the gene's split
        double train = 0;
        double impute = 0;
        double peak = 0;
        String status = "ok";
        try {
            for (GeneSplits.Split s : splits) {
                DenseCountMatrix spTrain = spAll.selectColumns(select(sharedIdx, s.training()));
                String[] trainGenes = names(shared, s.training());
                String[] targets = names(shared, s.heldOut());
                ImputationTask task = new ImputationTask(dataset, seq, seqGenes, spTrain, trainGenes, targets);
                resetPeak();
                ImputationResult r = method.impute(task, seed * 1_000_003L + s.fold());
                peak = Math.max(peak, peakHeapMb());
                train += r.trainSeconds();
                impute += r.imputeSeconds();
                if (protocol.equals("paper") && r.latentSeq() != null && r.latentSpatial() != null) {
                    integration(dataset, method.name(), seed, r, task);
                }
                if (protocol.equals("paper") && r.uncertainty() != null) {
                    lastUncertainty = r.uncertainty();
                    lastPredictability = predictability(task);
                }
                double[] lib = task.spatialLibrary();
                for (int t = 0; t < targets.length; t++) {
                    int e = Arrays.binarySearch(evaluated, s.heldOut()[t]);
                    for (int i = 0; i < n; i++) {
                        pred[i * evaluated.length + e] = r.predictions().data[i * targets.length + t];
                        trainingTotal[i * evaluated.length + e] = lib[i];
                    }
                }
            }
        } catch (RuntimeException e) {
            status = "failed: " + e.getMessage();
            log.accept("  " + method.name() + " seed " + seed + " " + status);
        }
        double[] sp = new double[evaluated.length];
        double[] spn = new double[evaluated.length];
        double[] pe = new double[evaluated.length];
        LiBenchmarkScores li = null;
        if (status.equals("ok")) {
            double[] tAll = new double[n * evaluated.length];
            double[] pAll = new double[n * evaluated.length];
            for (int e2 = 0; e2 < tAll.length; e2++) {
                tAll[e2] = truth.data()[e2];
                pAll[e2] = pred[e2];
            }
            li = LiBenchmarkScores.of(tAll, pAll, n, evaluated.length);
            for (int e = 0; e < evaluated.length; e++) {
                double[] t = new double[n];
                double[] p = new double[n];
                double[] tn = new double[n];
                double[] pn = new double[n];
                for (int i = 0; i < n; i++) {
                    double l = trainingTotal[i * evaluated.length + e];
                    t[i] = truth.get(i, e);
                    p[i] = pred[i * evaluated.length + e];
                    tn[i] = t[i] / l;
                    pn[i] = p[i] / l;
                }
                sp[e] = Correlation.spearman(t, p);
                spn[e] = Correlation.spearman(tn, pn);
                pe[e] = Correlation.pearson(t, p);
                geneScores.add(new GeneScore(dataset, protocol, method.name(), seed, evalNames[e], sp[e], spn[e], pe[e],
                        li.ssim()[e], li.rmse()[e], li.js()[e]));
            }
            CsvOutputs.writeMatrix(predDir.resolve(method.name() + "-seed" + seed + ".csv"), cells, evalNames, pred);
            writeH5ad(predDir.resolve(method.name() + "-seed" + seed + ".h5ad"), cells, evalNames, pred, trainingTotal,
                    dataset, protocol, method.name(), seed);
            if (lastUncertainty != null && lastUncertainty.length == evaluated.length) {
                for (int e = 0; e < evaluated.length; e++) {
                    uncertainties.add(new GeneUncertainty(dataset, method.name(), seed, evalNames[e], lastUncertainty[e],
                            lastPredictability[e], sp[e]));
                }
            }
        }
        boolean ok = status.equals("ok");
        RunSummary summary = new RunSummary(dataset, protocol, method.name(), seed, evaluated.length,
                ok ? Correlation.median(sp) : Double.NaN, ok ? Correlation.median(spn) : Double.NaN,
                ok ? Correlation.mean(pe) : Double.NaN,
                ok ? LiBenchmarkScores.meanWithReferenceFill(li.pcc()) : Double.NaN,
                ok ? LiBenchmarkScores.meanWithReferenceFill(li.ssim()) : Double.NaN,
                ok ? LiBenchmarkScores.meanWithReferenceFill(li.rmse()) : Double.NaN,
                ok ? LiBenchmarkScores.meanWithReferenceFill(li.js()) : Double.NaN,
                ok ? li.undefinedGenes() : 0, lastMixing, lastPurity, train, impute, peak, status);
        lastMixing = Double.NaN;
        lastPurity = Double.NaN;
        lastUncertainty = null;
        lastPredictability = null;
        summaries.add(summary);
        if (status.equals("ok")) {
            log.accept(String.format(Locale.ROOT, "  %-9s seed %-3d median spearman %.3f  spearman_norm %.3f  "
                            + "mean pearson %.3f  train %.2fs  impute %.2fs", method.name(), seed, summary.medianSpearman(),
                    summary.medianSpearmanNorm(), summary.meanPearson(), train, impute));
        }
    }

    /**
     * Residual RMSE of each target gene regressed on the training genes, on scRNA-seq alone
     * (log(1 + 10⁴·x / training-gene total) normalisation).
     */
    private static double[] predictability(ImputationTask task) {
        int[] train = task.sharedColumns();
        int[] targets = task.targetColumns();
        DenseCountMatrix seq = task.seqCounts();
        double[] lib = new double[seq.rows()];
        for (int i = 0; i < lib.length; i++) {
            lib[i] = seq.rowSum(i, train);
        }
        double[] out = new double[targets.length];
        for (int t = 0; t < targets.length; t++) {
            out[t] = org.gimvi.metrics.uncertainty.Predictability.residualRmse(seq.data(), seq.rows(), seq.cols(), lib,
                    train, targets[t]);
        }
        return out;
    }

    private double lastMixing = Double.NaN;
    private double lastPurity = Double.NaN;

    /**
     * Entropy of mixing on the joint latent space (k = 50…1,000) and k-NN purity against single-dataset
     * VAEs (k = 50…1,000 for scRNA-seq, 50…500 for spatial), 2,000 sampled cells, seeded.
     */
    private void integration(String dataset, String method, long seed, ImputationResult r, ImputationTask task) {
        FMatrixRMaj zs = r.latentSeq();
        FMatrixRMaj zp = r.latentSpatial();
        int d = zs.numCols;
        int n0 = zs.numRows;
        int n1 = zp.numRows;
        float[] joint = new float[(n0 + n1) * d];
        System.arraycopy(zs.data, 0, joint, 0, n0 * d);
        System.arraycopy(zp.data, 0, joint, n0 * d, n1 * d);
        int[] label = new int[n0 + n1];
        Arrays.fill(label, n0, n0 + n1, 1);
        Curve mixing = EntropyOfMixing.compute(joint, n0 + n1, d, label, Curve.grid(50, 1000, 50, n0 + n1),
                EntropyOfMixing.DEFAULT_SAMPLES, new Rng(seed));
        if (!purity) {
            curves.add(new IntegrationCurves(dataset, method, seed, mixing, null, null)); // purity not computed
            lastMixing = mixing.summary();
            lastPurity = Double.NaN;
            return;
        }
        FMatrixRMaj[] single = singleLatents.computeIfAbsent(dataset + "|" + seed, key -> {
            log.accept("  fitting single-dataset VAEs for k-NN purity (seed " + seed + ")");
            return new FMatrixRMaj[]{
                SingleDatasetLatent.fit("scRNA-seq", task.seqCounts(), task.seqGenes(), Likelihood.ZINB, Library.LATENT,
                        singleDatasetEpochs, seed * 7919L + 17),
                SingleDatasetLatent.fit("spatial", task.spatialCounts(), task.spatialGenes(), Likelihood.NB, Library.OBSERVED,
                        singleDatasetEpochs, seed * 7919L + 18)};
        });
        KnnPurity.Result ps = KnnPurity.compute(zs.data, d, single[0].data, single[0].numCols, n0,
                Curve.grid(50, 1000, 50, n0 - 1), EntropyOfMixing.DEFAULT_SAMPLES, new Rng(seed + 1));
        KnnPurity.Result pp = KnnPurity.compute(zp.data, d, single[1].data, single[1].numCols, n1,
                Curve.grid(50, 500, 50, n1 - 1), EntropyOfMixing.DEFAULT_SAMPLES, new Rng(seed + 2));
        curves.add(new IntegrationCurves(dataset, method, seed, mixing, ps, pp));
        lastMixing = mixing.summary();
        lastPurity = 0.5 * (ps.overlap().summary() + pp.overlap().summary());
    }

    /** The predictions as AnnData: X = spatial cells × evaluated genes, obs L, run parameters in uns. */
    private static void writeH5ad(Path file, String[] cells, String[] genes, float[] pred, double[] trainingTotal,
                                  String dataset, String protocol, String method, long seed) throws IOException {
        int g = genes.length;
        float[][] x = new float[cells.length][g];
        double[] lib = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            System.arraycopy(pred, i * g, x[i], 0, g);
            lib[i] = trainingTotal[i * g];
        }
        org.gimvi.model.io.H5adWriter.write(file, new org.gimvi.model.io.H5adWriter.Content(x, cells, genes)
                .obs("training_gene_total", lib).uns("dataset", dataset).uns("protocol", protocol).uns("method", method)
                .uns("seed", Long.toString(seed)).uns("values", "expected counts given the cell's training-gene total"));
    }

    /** Runs every protocol on one dataset. */
    public void runDataset(PairedDataset d, List<String> protocols) throws IOException {
        for (String p : protocols) {
            run(d, p);
        }
    }

    private static void resetPeak() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak use since the last reset, in MB (the JVM's view; GC-dependent). */
    private static double peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1e6;
    }

    static int[] select(int[] from, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = from[idx[i]];
        }
        return out;
    }

    static String[] names(String[] from, int[] idx) {
        String[] out = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = from[idx[i]];
        }
        return out;
    }

    private static void mark(boolean[] keep, int[] nonEmpty) {
        boolean[] ok = new boolean[keep.length];
        for (int i : nonEmpty) {
            ok[i] = true;
        }
        for (int i = 0; i < keep.length; i++) {
            keep[i] &= ok[i];
        }
    }

    private static int[] indices(boolean[] keep) {
        int n = 0;
        for (boolean b : keep) {
            n += b ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

}

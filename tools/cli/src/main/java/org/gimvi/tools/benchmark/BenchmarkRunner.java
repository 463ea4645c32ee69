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
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.SharedPanel;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationPipeline;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.PurityReference;
import org.gimvi.tools.plots.TrainingCurves;
import org.gimvi.tools.plots.TrainingCurvesCsv;

/**
 * Runs methods × seeds on one dataset and protocol: builds the gene splits, hides the held-out genes,
 * runs every method, scores every evaluated gene, and writes the predictions.
 *
 * <p>Genes and cells come from {@link ImputationPipeline}: the spatial genes shared with scRNA-seq,
 * and the cells usable with every split's training genes (the same cells for every split of a
 * protocol, so prediction files have one row set). Scores: {@code spearman} between true counts and predictions;
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
    /** Single-dataset VAEs by dataset and seed: every method whose reference they are shares them. */
    private final java.util.Map<String, PurityReference.Latents> vaeLatents = new java.util.HashMap<>();
    private boolean warmedUp;
    private int singleDatasetEpochs = 200;
    private int epochsPerRound = 0;
    private final List<TrainingRun> trainingRuns = new ArrayList<>();
    private final java.util.Map<String, SpatialValues> spatialValues = new java.util.LinkedHashMap<>();

    /**
     * One gimVI training run of the paper protocol, per epoch (for the training-curve figures; the CSV
     * of every run, k-fold included, is written under {@code OUT/histories/}).
     */
    public record TrainingRun(String dataset, String method, long seed, TrainingCurves curves, Path csv) {
    }

    /**
     * Measured and imputed values of the paper protocol's evaluated genes at the spatial cells'
     * coordinates (for the spatial maps): cells × genes row-major, with each cell's training-gene
     * total L for each gene's split; the first seed of each method.
     */
    public record SpatialValues(String dataset, String[] genes, float[][] coordinates, float[] truth, double[] totals,
                                java.util.Map<String, float[]> predictions) {
    }

    public List<TrainingRun> trainingRuns() {
        return trainingRuns;
    }

    /** Per dataset with coordinates, the paper protocol's values for the spatial maps. */
    public java.util.Collection<SpatialValues> spatialValues() {
        return spatialValues.values();
    }

    /**
     * Epochs of one warm-restart round, to mark round boundaries in the training curves (the history
     * numbers rounds' epochs consecutively; every registered gimVI method trains without early stopping,
     * so each round has exactly this many). 0: no round marks.
     */
    public void setEpochsPerRound(int epochs) {
        this.epochsPerRound = epochs;
    }

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

    /**
     * k-NN purity needs each method's single-dataset latent spaces (for gimVI and scVI two extra VAEs per
     * dataset and seed); off for quick runs.
     */
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
        // the shared panel, in the spatial panel's order, and its gene splits
        SharedPanel panel = SharedPanel.match(d.spatialGenes(), d.seqGenes(), "the spatial panel", "scRNA-seq");
        String[] shared = panel.genes();
        List<GeneSplits.Split> splits = protocol.equals("paper") ? List.of(paperSplit(d, shared)) : GeneSplits.kfold(shared);
        // one set of cells for the whole protocol, usable with every split's training genes
        ImputationPipeline.Prepared prepared = ImputationPipeline.prepare(d.name(), d.seqCounts(), d.seqGenes(),
                "scRNA-seq", d.spatialCounts(), d.spatialGenes(), d.spatialCells(), "the spatial panel",
                splits.stream().map(GeneSplits.Split::training).toList());
        log.accept(String.format(Locale.ROOT, "%s [%s]: %d shared genes, %d split(s); %s", d.name(), protocol,
                shared.length, splits.size(), prepared.cells().summary()));

        // evaluated genes: the held-out genes of every split, in shared order
        int[] evaluated = splits.stream().flatMapToInt(s -> Arrays.stream(s.heldOut())).sorted().toArray();
        String[] evalNames = panel.genes(evaluated);
        DenseCountMatrix truth = prepared.spatialPanel().selectColumns(evaluated);
        Path predDir = out.resolve("predictions").resolve(safe(d.name())).resolve(protocol);
        CsvOutputs.writeMatrix(predDir.resolve("truth.csv"), prepared.spatialCellNames(), evalNames, truth.data());
        float[][] coordinates = keptCoordinates(d, prepared);
        if (protocol.equals("paper") && coordinates != null) {
            spatialValues.put(d.name(), new SpatialValues(d.name(), evalNames, coordinates, truth.data(), null,
                    new java.util.LinkedHashMap<>()));
        }

        if (!warmedUp) {
            log.accept(String.format(Locale.ROOT, "  compiled the engine's k-NN and GEMM kernels in %.2f s "
                    + "(JIT warm-up, counted in no method's time)", KernelWarmUp.run()));
            warmedUp = true;
        }
        for (ImputationMethod method : methods) {
            for (long seed : seeds) {
                runMethod(prepared, protocol, method, seed, splits, evaluated, evalNames, truth, predDir, coordinates);
            }
        }
    }

    /** The coordinates of the cells the pipeline kept, in its row order (null without coordinates). */
    private static float[][] keptCoordinates(PairedDataset d, ImputationPipeline.Prepared prepared) {
        if (d.coordinates() == null) {
            return null;
        }
        int[] rows = prepared.cells().spatialRows();
        float[][] kept = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            kept[i] = d.coordinates()[rows[i]];
        }
        return kept;
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

    private void runMethod(ImputationPipeline.Prepared prepared, String protocol, ImputationMethod method, long seed,
                           List<GeneSplits.Split> splits, int[] evaluated, String[] evalNames, DenseCountMatrix truth,
                           Path predDir, float[][] coordinates) throws IOException {
        String dataset = prepared.dataset();
        String[] cells = prepared.spatialCellNames();
        int n = cells.length;
        float[] pred = new float[n * evaluated.length];
        Arrays.fill(pred, Float.NaN);
        double[] trainingTotal = new double[n * evaluated.length]; // L per cell, for the gene's split
        double train = 0;
        double impute = 0;
        double peak = 0;
        double cpu = 0;
        String purityReference = "no joint latent space";
        String status = "ok";
        try {
            for (GeneSplits.Split s : splits) {
                String[] targets = prepared.panel().genes(s.heldOut());
                ImputationTask task = prepared.task(s.training(), targets);
                resetPeak();
                double cpu0 = ProcessCpuTime.seconds();
                ImputationResult r = method.impute(task, seed * 1_000_003L + s.fold());
                cpu += ProcessCpuTime.seconds() - cpu0;
                peak = Math.max(peak, peakHeapMb());
                if (!r.notes().isEmpty()) {
                    log.accept(String.format(Locale.ROOT, "    %s seed %d fold %d: %s", method.name(), seed, s.fold(),
                            r.notes()));
                }
                train += r.trainSeconds();
                impute += r.imputeSeconds();
                if (r.latentSeq() != null && r.latentSpatial() != null) {
                    purityReference = protocol.equals("paper") ? integration(dataset, method.name(), seed, r, task)
                            : "not computed (paper protocol only)";
                }
                if (r.history() != null) {
                    keepHistory(dataset, protocol, method.name(), seed, s.fold(), r);
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
                    coordinates, dataset, protocol, method.name(), seed);
            SpatialValues map = protocol.equals("paper") ? spatialValues.get(dataset) : null;
            if (map != null && !map.predictions().containsKey(method.name())) {
                map.predictions().put(method.name(), pred);
                if (map.totals() == null) {
                    spatialValues.put(dataset, new SpatialValues(dataset, map.genes(), map.coordinates(), map.truth(),
                            trainingTotal, map.predictions()));
                }
            }
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
                ok ? li.undefinedGenes() : 0, lastMixing, lastPurity, train, impute, peak, status, cpu,
                purityReference);
        lastMixing = Double.NaN;
        lastPurity = Double.NaN;
        lastUncertainty = null;
        lastPredictability = null;
        summaries.add(summary);
        if (status.equals("ok")) {
            log.accept(String.format(Locale.ROOT, "  %-9s seed %-3d median spearman %.3f  spearman_norm %.3f  "
                            + "mean pearson %.3f  train %.2fs  impute %.2fs  cpu %.2fs  peak %.0f MB", method.name(), seed,
                    summary.medianSpearman(), summary.medianSpearmanNorm(), summary.meanPearson(), train, impute, cpu,
                    peak));
        }
    }

    /**
     * Residual RMSE of each target gene regressed on the training genes, on scRNA-seq alone
     * (log(1 + 10⁴·x / training-gene total) normalisation).
     */
    private static double[] predictability(ImputationTask task) {
        int[] train = task.sharedColumns();
        int[] targets = task.targetColumns();
        DenseCountMatrix seq = task.seqDense();
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
     * Entropy of mixing on the joint latent space (k = 50…1,000) and k-NN purity against the method's own
     * single-dataset latent spaces ({@link ImputationResult#purityReference()}; k = 50…1,000 for scRNA-seq,
     * 50…500 for spatial), 2,000 sampled cells, seeded. A method without a single-dataset reference gets
     * mixing only. Returns what purity was measured against, or why it was not.
     */
    private String integration(String dataset, String method, long seed, ImputationResult r, ImputationTask task) {
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
        lastMixing = mixing.summary();
        lastPurity = Double.NaN;
        PurityReference reference = r.purityReference();
        if (!purity || reference == null) {
            curves.add(new IntegrationCurves(dataset, method, seed, mixing, null, null)); // purity not computed
            return !purity ? "not computed (--no-purity)" : "none: the method has no single-dataset latent space";
        }
        PurityReference.Latents single;
        if (reference instanceof PurityReference.SingleDatasetVae vae) {
            single = vaeLatents.computeIfAbsent(dataset + "|" + seed, key -> {
                log.accept("  fitting single-dataset VAEs for k-NN purity (seed " + seed + ")");
                return vae.fit(task, singleDatasetEpochs, seed);
            });
        } else {
            single = ((PurityReference.Computed) reference).latents().get();
        }
        if (single.seq().numRows != n0 || single.spatial().numRows != n1) {
            throw new IllegalStateException(method + ": its purity reference (" + reference.description() + ") has "
                    + single.seq().numRows + " + " + single.spatial().numRows + " cells, its joint latent space " + n0
                    + " + " + n1);
        }
        KnnPurity.Result ps = KnnPurity.compute(zs.data, d, single.seq().data, single.seq().numCols, n0,
                Curve.grid(50, 1000, 50, n0 - 1), EntropyOfMixing.DEFAULT_SAMPLES, new Rng(seed + 1));
        KnnPurity.Result pp = KnnPurity.compute(zp.data, d, single.spatial().data, single.spatial().numCols, n1,
                Curve.grid(50, 500, 50, n1 - 1), EntropyOfMixing.DEFAULT_SAMPLES, new Rng(seed + 2));
        curves.add(new IntegrationCurves(dataset, method, seed, mixing, ps, pp));
        lastPurity = 0.5 * (ps.overlap().summary() + pp.overlap().summary());
        return reference.description();
    }

    /** Writes the run's training curves as CSV; keeps those of the paper protocol for the figures. */
    private void keepHistory(String dataset, String protocol, String method, long seed, int fold, ImputationResult r)
            throws IOException {
        TrainingCurves c = TrainingCurves.of(r.history(), epochsPerRound);
        String name = method + "-seed" + seed + (protocol.equals("paper") ? "" : "-fold" + fold) + ".csv";
        Path csv = out.resolve("histories").resolve(safe(dataset)).resolve(protocol).resolve(name);
        TrainingCurvesCsv.write(csv, c);
        if (protocol.equals("paper")) {
            trainingRuns.add(new TrainingRun(dataset, method, seed, c, csv));
        }
    }

    /**
     * The predictions as AnnData: X = spatial cells × evaluated genes, obs L, the cells' coordinates in
     * obsm['spatial'] when known (so {@code gimvi plot} can map them), run parameters in uns.
     */
    private static void writeH5ad(Path file, String[] cells, String[] genes, float[] pred, double[] trainingTotal,
                                  float[][] coordinates, String dataset, String protocol, String method, long seed)
            throws IOException {
        int g = genes.length;
        float[][] x = new float[cells.length][g];
        double[] lib = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            System.arraycopy(pred, i * g, x[i], 0, g);
            lib[i] = trainingTotal[i * g];
        }
        org.gimvi.model.io.H5adWriter.Content content = new org.gimvi.model.io.H5adWriter.Content(x, cells, genes)
                .obs("training_gene_total", lib).uns("dataset", dataset).uns("protocol", protocol).uns("method", method)
                .uns("seed", Long.toString(seed)).uns("values", "expected counts given the cell's training-gene total");
        if (coordinates != null) {
            content.obsm("spatial", coordinates);
        }
        org.gimvi.model.io.H5adWriter.write(file, content);
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

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

}

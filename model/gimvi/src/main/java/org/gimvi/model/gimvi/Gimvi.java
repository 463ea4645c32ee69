package org.gimvi.model.gimvi;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.random.Rng;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.model.data.GeneMatching;

/**
 * The user-facing gimVI model (scvi-tools' GIMVI): set up from datasets, train, and read out the
 * joint latent space, imputed expression and its uncertainty. Dataset 0 is the reference (usually
 * scRNA-seq); its genes are the output space, and every other dataset's genes must be among them.
 *
 * <pre>{@code
 * Gimvi model = Gimvi.create(List.of(
 *         DatasetInput.of("scRNA-seq", seqCounts, seqGenes, Likelihood.ZINB, Library.LATENT),
 *         DatasetInput.of("spatial", spatialCounts, panelGenes, Likelihood.NB, Library.OBSERVED)),
 *         GimviOptions.defaults().withSeed(0));
 * model.train(new TrainingConfig());
 * FMatrixRMaj imputed = model.imputedValues(1, Scale.EXPECTED_COUNTS); // spatial cells × all seq genes
 * }</pre>
 *
 * <p>Randomness: every draw (initial weights, splits, minibatches, dropout, posterior samples) comes
 * from one stream seeded by {@link GimviOptions#seed()}, consumed in call order, so the same seed and
 * the same sequence of calls give bit-identical results on any thread count.
 */
public final class Gimvi {
    /**
     * One input dataset.
     *
     * @param batch        per-cell batch code in [0, nBatches), or null for a single batch
     * @param nBatches     number of batches (1 when batch is null)
     * @param nonIntegerValues whether non-integer values are accepted under a count likelihood
     */
    public record DatasetInput(String name, CountMatrix counts, String[] genes, int[] batch, int nBatches,
                               Likelihood likelihood, Library library, NonIntegerValues nonIntegerValues) {

        /** What a count likelihood does with a value that is not an integer. */
        public enum NonIntegerValues {
            /** Refused with the measured reason (the default: such data are usually normalised, not counts). */
            REFUSED,
            /** Accepted: the caller states that these values are counts. */
            ACCEPTED
        }

        /** A single-batch dataset with integer counts. */
        public static DatasetInput of(String name, CountMatrix counts, String[] genes, Likelihood likelihood,
                                      Library library) {
            return new DatasetInput(name, counts, genes, null, 1, likelihood, library, NonIntegerValues.REFUSED);
        }

        /** The same dataset with per-cell batch codes in [0, nBatches). */
        public DatasetInput withBatches(int[] codes, int nBatches) {
            return new DatasetInput(name, counts, genes, codes, nBatches, likelihood, library, nonIntegerValues);
        }

        /** The same dataset, accepting values that are not integer counts under a count likelihood. */
        public DatasetInput allowingNonIntegerValues() {
            return new DatasetInput(name, counts, genes, batch, nBatches, likelihood, library, NonIntegerValues.ACCEPTED);
        }
    }

    /** Per-cell, per-gene mean and standard deviation over posterior samples. */
    public record Uncertainty(FMatrixRMaj mean, FMatrixRMaj std, int samples) {
    }

    /** Smallest variance allowed for the log-library prior of a batch (one-cell or constant batches). */
    static final float MIN_LIBRARY_LOG_VARIANCE = 1e-2f;

    private final ComputeBackend backend;
    private final Rng rng; // the model's one random stream (GimviOptions.seed)
    private final JointVae vae;
    private final String[] outputGenes;
    private final String[] datasetNames;
    private final String[][] datasetGenes;
    private final List<DatasetInput> data; // the setup data (null after load without data)
    private final int[][] cellBatch;       // global batch codes per cell of the setup data
    private TrainingHistory history;

    private Gimvi(ComputeBackend backend, Rng rng, JointVae vae, String[] outputGenes, String[] datasetNames,
                  String[][] datasetGenes, List<DatasetInput> data, int[][] cellBatch) {
        this.backend = backend;
        this.rng = rng;
        this.vae = vae;
        this.outputGenes = outputGenes;
        this.datasetNames = datasetNames;
        this.datasetGenes = datasetGenes;
        this.data = data;
        this.cellBatch = cellBatch;
    }

    /**
     * Validates the datasets, maps their genes into dataset 0's gene space and builds the module.
     *
     * @param options architecture, gene-name matching, backend and seed
     */
    public static Gimvi create(List<DatasetInput> datasets, GimviOptions options) {
        GimviArchitecture arch = options.architecture();
        GeneMatching.CaseRule caseRule = options.geneNames().caseRule();
        ComputeBackend backend = Backends.create(options.backend());
        Rng rng = new Rng(options.seed());
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("gimVI needs at least one dataset (two for joint training)");
        }
        arch.validate();
        String[] reference = datasets.get(0).genes();
        int nd = datasets.size();
        DatasetSpec[] specs = new DatasetSpec[nd];
        int[][] cellBatch = new int[nd][];
        int offset = 0;
        String[] names = new String[nd];
        String[][] genes = new String[nd][];
        for (int m = 0; m < nd; m++) {
            DatasetInput d = datasets.get(m);
            InputChecks.check(d);
            names[m] = d.name();
            genes[m] = d.genes().clone();
            GeneMatching.Result r = GeneMatching.match(d.genes(), reference, caseRule);
            if (m == 0 && !r.duplicatesInReference().isEmpty()) {
                throw new IllegalArgumentException("dataset '" + d.name() + "' (the reference) has duplicate gene names: "
                        + r.summary(d.name(), d.name()) + "; make gene names unique before training");
            }
            if (!r.missing().isEmpty() || !r.duplicatesInQuery().isEmpty()) {
                throw new IllegalArgumentException("dataset '" + d.name() + "': every gene must be a gene of the reference '"
                        + datasets.get(0).name() + "' — " + r.summary(d.name(), datasets.get(0).name())
                        + (caseRule == GeneMatching.CaseRule.CASE_SENSITIVE ? " (matching is case-sensitive; try GeneNameMatching.IGNORE_CASE)" : ""));
            }
            specs[m] = new DatasetSpec(d.name(), r.positions(), d.likelihood(), d.library(), offset, d.nBatches());
            cellBatch[m] = new int[d.counts().rows()];
            for (int i = 0; i < cellBatch[m].length; i++) {
                cellBatch[m][i] = offset + (d.batch() == null ? 0 : d.batch()[i]);
            }
            offset += d.nBatches();
        }
        float[] priorMean = new float[offset];
        float[] priorVar = new float[offset];
        for (int m = 0; m < nd; m++) {
            libraryPrior(datasets.get(m), cellBatch[m], specs[m], priorMean, priorVar);
        }
        JointVae vae = new JointVae(backend, arch, specs, reference.length, priorMean, priorVar, rng.split());
        return new Gimvi(backend, rng, vae, reference.clone(), names, genes, List.copyOf(datasets), cellBatch);
    }

    /** Mean and (population) variance of log library sizes per batch; placeholders 0 and 1 elsewhere. */
    private static void libraryPrior(DatasetInput d, int[] cellBatch, DatasetSpec spec, float[] mean, float[] var) {
        for (int s = spec.batchOffset(); s < spec.batchOffset() + spec.nBatches(); s++) {
            double sum = 0;
            double sumSq = 0;
            long n = 0;
            for (int i = 0; i < cellBatch.length; i++) {
                if (cellBatch[i] == s) {
                    double l = Math.log(d.counts().rowSum(i, null));
                    sum += l;
                    sumSq += l * l;
                    n++;
                }
            }
            if (n == 0) {
                mean[s] = 0f;
                var[s] = 1f;
                continue;
            }
            double mu = sum / n;
            mean[s] = (float) mu;
            var[s] = (float) Math.max(MIN_LIBRARY_LOG_VARIANCE, sumSq / n - mu * mu);
        }
    }

    /**
     * Trains with the given settings; returns (and keeps) the history. With {@code cfg.rounds > 1}
     * the rounds run back to back, each with a new train/validation split and a new training plan
     * (fresh Adam state and classifier, full KL weight after the first); the history numbers their
     * epochs consecutively.
     */
    public TrainingHistory train(TrainingConfig cfg, TrainingListener listener) {
        requireData("train");
        cfg.validate();
        Rng rng = this.rng.split();
        Rng splitRng = rng.split();
        TrainingHistory all = new TrainingHistory(datasetNames());
        int total = cfg.epochs * cfg.rounds;
        for (int round = 0; round < cfg.rounds; round++) {
            TrainingConfig roundCfg = round == 0 ? cfg : cfg.laterRound();
            int offset = all.epochs().size();
            TrainingHistory h = new GimviTrainingPlan(vae, splitInputs(cfg, splitRng), roundCfg, rng.split())
                    .train((r, n) -> listener.epochFinished(r.withEpoch(r.epoch() + offset), total));
            for (EpochRecord r : h.epochs()) {
                all.add(r.withEpoch(r.epoch() + offset));
            }
            if (h.stoppedEarly()) {
                all.markStoppedEarly();
            }
        }
        history = all;
        return history;
    }

    /** Trains with the given settings and no progress reports. */
    public TrainingHistory train(TrainingConfig cfg) {
        return train(cfg, TrainingListener.NONE);
    }

    /** A fresh seeded train/validation split of every dataset. */
    private List<GimviTrainingPlan.Input> splitInputs(TrainingConfig cfg, Rng splitRng) {
        List<GimviTrainingPlan.Input> inputs = new ArrayList<>();
        for (int m = 0; m < data.size(); m++) {
            DatasetInput d = data.get(m);
            DataSplit split = DataSplit.of(d.name(), d.counts().rows(), cfg.trainFraction, cfg.batchSize, splitRng);
            inputs.add(new GimviTrainingPlan.Input(d.name(), d.counts(), cellBatch[m], split));
        }
        return inputs;
    }

    private void requireData(String what) {
        if (data == null) {
            throw new IllegalStateException("cannot " + what + ": this model was loaded without its datasets; "
                    + "pass the data to the method explicitly");
        }
    }

    // ================================================================== outputs on the setup data

    /** Posterior means of z for every cell of dataset m, in input order. */
    public FMatrixRMaj latent(int m) {
        return latent(m, Posterior.MEAN);
    }

    /** Posterior means (or one sample) of z for every cell of dataset m, in input order. */
    public FMatrixRMaj latent(int m, Posterior posterior) {
        requireData("compute the latent space");
        return latent(m, data.get(m).counts(), cellBatch[m], posterior);
    }

    /**
     * Imputed expression of every cell of dataset m over all output genes, from posterior means,
     * renormalised to dataset m's own genes.
     */
    public FMatrixRMaj imputedValues(int m, Scale scale) {
        return imputedValues(m, m, scale, Posterior.MEAN);
    }

    /**
     * Imputed expression of every cell of dataset m over all output genes.
     *
     * @param renormaliseTo dataset whose genes sum to one in the proportions (gimVI's decode_mode; usually m)
     */
    public FMatrixRMaj imputedValues(int m, int renormaliseTo, Scale scale, Posterior posterior) {
        requireData("impute");
        return imputedValues(m, data.get(m).counts(), cellBatch[m], renormaliseTo, scale, posterior);
    }

    /** Mean and standard deviation of the imputation over {@code samples} posterior draws. */
    public Uncertainty imputationUncertainty(int m, int renormaliseTo, Scale scale, int samples) {
        requireData("estimate uncertainty");
        return imputationUncertainty(m, data.get(m).counts(), cellBatch[m], renormaliseTo, scale, samples);
    }

    // ================================================================== outputs on any data of dataset m's layout

    /**
     * Encodes {@code counts} (columns = dataset m's genes, in its order) with dataset m's encoder.
     *
     * @param globalBatch per-cell global batch codes ({@link #cellBatch}), or null for dataset m's first batch
     */
    public FMatrixRMaj latent(int m, CountMatrix counts, int[] globalBatch, Posterior posterior) {
        checkLayout(m, counts);
        Rng rng = posterior == Posterior.SAMPLE ? this.rng.split() : null;
        int n = counts.rows();
        int d = vae.latent();
        FMatrixRMaj out = new FMatrixRMaj(n, d);
        forEachChunk(m, counts, globalBatch, (order, rows) -> {
            vae.encodeEval(m, posterior, rng);
            FMatrixRMaj z = vae.workspace(m).z();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(z.data, i * d, out.data, order[i] * d, d);
            }
        });
        return out;
    }

    /** Imputed expression of cells given in dataset m's layout (see {@link #latent(int, CountMatrix, int[], Posterior)}). */
    public FMatrixRMaj imputedValues(int m, CountMatrix counts, int[] globalBatch, int renormaliseTo,
                                     Scale scale, Posterior posterior) {
        checkLayout(m, counts);
        Rng rng = posterior == Posterior.SAMPLE ? this.rng.split() : null;
        checkDataset(renormaliseTo);
        int n = counts.rows();
        int g = outputGenes.length;
        FMatrixRMaj out = new FMatrixRMaj(n, g);
        FMatrixRMaj chunk = backend.allocate(workspaceRows(), g);
        forEachChunk(m, counts, globalBatch, (order, rows) -> {
            vae.encodeEval(m, posterior, rng);
            vae.decodeAll(m, renormaliseTo, scale, chunk);
            for (int i = 0; i < rows; i++) {
                System.arraycopy(chunk.data, i * g, out.data, order[i] * g, g);
            }
        });
        return out;
    }

    /** Uncertainty of the imputation of cells given in dataset m's layout. */
    public Uncertainty imputationUncertainty(int m, CountMatrix counts, int[] globalBatch, int renormaliseTo,
                                             Scale scale, int samples) {
        Rng rng = this.rng.split();
        if (samples < 2) {
            throw new IllegalArgumentException("uncertainty needs at least 2 posterior samples, got " + samples);
        }
        checkLayout(m, counts);
        checkDataset(renormaliseTo);
        int n = counts.rows();
        int g = outputGenes.length;
        FMatrixRMaj mean = new FMatrixRMaj(n, g);
        FMatrixRMaj std = new FMatrixRMaj(n, g);
        FMatrixRMaj chunk = backend.allocate(workspaceRows(), g);
        double[] acc = new double[workspaceRows() * g];   // host accumulators (double outputs are host results)
        double[] accSq = new double[workspaceRows() * g];
        float[] chunkMean = backend.allocateVector(workspaceRows() * g);
        float[] chunkStd = backend.allocateVector(workspaceRows() * g);
        forEachChunk(m, counts, globalBatch, (order, rows) -> {
            java.util.Arrays.fill(acc, 0, rows * g, 0);
            java.util.Arrays.fill(accSq, 0, rows * g, 0);
            for (int s = 0; s < samples; s++) {
                vae.encodeEval(m, Posterior.SAMPLE, rng);
                vae.decodeAll(m, renormaliseTo, scale, chunk);
                backend.accumulateMoments(chunk.data, acc, accSq, rows * g);
            }
            backend.momentsToMeanStd(acc, accSq, samples, chunkMean, chunkStd, rows * g);
            backend.download(chunkMean, rows * g);
            backend.download(chunkStd, rows * g);
            for (int i = 0; i < rows; i++) { // the chunk's rows back to the cells' order
                System.arraycopy(chunkMean, i * g, mean.data, order[i] * g, g);
                System.arraycopy(chunkStd, i * g, std.data, order[i] * g, g);
            }
        });
        return new Uncertainty(mean, std, samples);
    }

    private interface ChunkBody {
        void run(int[] order, int rows);
    }

    /** Inference runs in chunks of the workspace size (at least 128 cells). */
    private int workspaceRows() {
        vae.prepareWorkspaces(TrainingConfigDefaults.BATCH);
        return vae.workspaceRows();
    }

    private void forEachChunk(int m, CountMatrix counts, int[] globalBatch, ChunkBody body) {
        int rowsPerChunk = workspaceRows();
        int n = counts.rows();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int[] batch = globalBatch;
        if (batch == null) {
            batch = new int[n];
            java.util.Arrays.fill(batch, vae.spec(m).batchOffset());
        }
        int[] order = new int[rowsPerChunk];
        for (int from = 0; from < n; from += rowsPerChunk) {
            int rows = Math.min(rowsPerChunk, n - from);
            vae.loadMinibatch(m, counts, batch, all, from, rows, order);
            body.run(order, rows);
        }
    }

    private void checkDataset(int m) {
        if (m < 0 || m >= vae.datasets()) {
            throw new IllegalArgumentException("dataset index " + m + " out of range (model has " + vae.datasets() + ")");
        }
    }

    private void checkLayout(int m, CountMatrix counts) {
        checkDataset(m);
        if (counts.cols() != vae.spec(m).nGenes()) {
            throw new IllegalArgumentException("dataset '" + datasetNames[m] + "' has " + vae.spec(m).nGenes()
                    + " genes, the given matrix has " + counts.cols() + " columns");
        }
    }

    // ================================================================== accessors

    /** The module (networks and losses): for tests, benchmarks and the model file, not for users. */
    public JointVae module() {
        return vae;
    }

    /** Position of each of dataset m's genes among {@link #outputGenes()}. */
    public int[] geneMapping(int m) {
        checkDataset(m);
        return vae.spec(m).geneMapping().clone();
    }

    public String[] outputGenes() {
        return outputGenes.clone();
    }

    public String[] datasetNames() {
        return datasetNames.clone();
    }

    public String[] datasetGenes(int m) {
        return datasetGenes[m].clone();
    }

    public TrainingHistory history() {
        return history;
    }

    public boolean isTrained() {
        return history != null;
    }

    /** Global batch codes of the setup data's cells for dataset m (null after a load without data). */
    public int[] cellBatch(int m) {
        return cellBatch == null ? null : cellBatch[m].clone();
    }

    static Gimvi restore(ComputeBackend backend, Rng rng, JointVae vae, String[] outputGenes, String[] names,
                         String[][] genes) {
        return new Gimvi(backend, rng, vae, outputGenes, names, genes, null, null);
    }

    void setHistory(TrainingHistory h) {
        history = h;
    }
}

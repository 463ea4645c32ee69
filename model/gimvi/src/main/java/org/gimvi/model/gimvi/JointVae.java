package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.nn.ForwardMode;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.ParameterArena;
import org.gimvi.engine.nn.Trainable;
import org.gimvi.engine.random.Rng;

/**
 * The gimVI module (scvi-tools' JVAE): generative and inference networks for any number of datasets
 * sharing one latent space, and the per-dataset ELBO with its exact backward pass.
 *
 * <p>One training step for dataset m, as {@link #forwardLoss} and {@link #backward} compute it:
 * <pre>
 *   log(1+x) → head_m → shared trunk → (mean, log-var) → z = mean + exp(½log-var)·ε
 *   ℓ        = library encoder sample (latent library) or log Σx (observed)
 *   logits   = decoder(z) at the dataset's genes M_m;  log ρ = log-softmax(logits)   (= renormalised ρ)
 *   μ        = exp(log ρ + ℓ);  θ = exp(r[M_m, batch]);  π = ZINB logits
 *   loss     = Σ_cells [ −Σ_genes log p(x | μ, θ, π) + w·(KL_z + KL_ℓ) ]
 * </pre>
 * All buffers are sized once per dataset (workspaces); a step allocates nothing.
 */
public final class JointVae implements Trainable {
    private final ComputeBackend backend;
    private final GimviArchitecture arch;
    private final DatasetSpec[] specs;
    private final int genes;
    private final int totalBatches;
    private final MultiEncoder encoder;
    private final LibraryEncoder[] libraryEncoders;
    private final GeneDecoder decoder;
    private final Parameter dispersion; // G × (S or 1), θ = exp(·)
    private final float[] libraryPriorMean; // per global batch
    private final float[] libraryPriorVar;
    private final Workspace[] workspaces;
    /**
     * Largest share of non-zero entries at which a minibatch goes through the encoders' first layers
     * as a sparse product. Measured (`SparseInputTimes`, 128 cells, widths 64 and 128, one thread):
     * the sparse products are 2–6× faster at 5–20 % non-zero and break even at 30–40 % (a non-zero
     * costs more than a dense term: shorter, irregular fma chains). Whole-transcriptome references are
     * typically at 5–30 %; the choice changes only the time, never a result.
     */
    static final double SPARSE_INPUT_DENSITY = 0.3;
    private GeneDecoder.Workspace imputationDecoder;
    private final ParameterArena arena;
    private int workspaceRows;

    /** One dataset's minibatch and everything the step computes from it. */
    public static final class Workspace {
        final int dataset;
        final int cols;
        final FMatrixRMaj x;
        final FMatrixRMaj logx;         // log(1+x), dense; not computed while encoderInput is set
        final NonZeroEntries logxNonZeros; // log(1+x) by its non-zero entries (log1p keeps zeros)
        NonZeroEntries encoderInput;       // logxNonZeros when the minibatch is sparse enough to pay, else null
        final int[] batch;
        final float[] observedLibrary;
        final float[] priorMean;
        final float[] priorVar;
        final MultiEncoder.Workspace enc;
        final LibraryEncoder.Workspace lib;
        final GeneDecoder.Workspace dec;
        final FMatrixRMaj logRho;
        final FMatrixRMaj mu;
        final FMatrixRMaj logp;
        final FMatrixRMaj muGrad;
        final FMatrixRMaj thetaGrad;
        final FMatrixRMaj piGrad;
        final FMatrixRMaj dLogits;
        final FMatrixRMaj dPi;
        final float[] theta;
        final float[] rec;
        final float[] klZ;
        final float[] klL;
        final float[] dEll;
        final float[] libraryScale; // exp(ℓ) of a rate decode
        final double[] sums = new double[2]; // Σ rec, Σ KL of the last forward
        float[] ell;
        FMatrixRMaj dz; // the ELBO's gradient at z, between the two halves of the backward pass
        int rows;
        double recSum;
        double klSum;

        Workspace(JointVae vae, int m, int maxRows) {
            ComputeBackend b = vae.backend;
            DatasetSpec spec = vae.specs[m];
            dataset = m;
            cols = spec.nGenes();
            x = b.allocate(maxRows, cols);
            logx = b.allocate(maxRows, cols);
            logxNonZeros = b.prefersSparseInput() ? new NonZeroEntries(maxRows, cols) : null;
            batch = new int[maxRows];
            observedLibrary = b.allocateVector(maxRows);
            priorMean = new float[maxRows];
            priorVar = new float[maxRows];
            enc = vae.encoder.newWorkspace(m, maxRows);
            lib = spec.modelsLibrary() ? vae.libraryEncoders[m].newWorkspace(maxRows, m) : null;
            boolean zi = spec.likelihood() == Likelihood.ZINB;
            GeneDecoder.Heads heads = zi ? GeneDecoder.Heads.SCALE_AND_DROPOUT : GeneDecoder.Heads.SCALE;
            dec = vae.decoder.newWorkspace(spec.isIdentity(vae.genes) ? null : spec.geneMapping(), heads, maxRows, m);
            logRho = b.allocate(maxRows, cols);
            mu = b.allocate(maxRows, cols);
            logp = b.allocate(maxRows, cols);
            muGrad = b.allocate(maxRows, cols);
            thetaGrad = spec.likelihood() == Likelihood.POISSON ? null : b.allocate(maxRows, cols);
            piGrad = zi ? b.allocate(maxRows, cols) : null;
            dLogits = b.allocate(maxRows, cols);
            dPi = zi ? b.allocate(maxRows, cols) : null;
            theta = b.allocateVector(cols);
            rec = b.allocateVector(maxRows);
            klZ = b.allocateVector(maxRows);
            klL = b.allocateVector(maxRows);
            dEll = b.allocateVector(maxRows);
            libraryScale = b.allocateVector(maxRows);
        }

        /** Sampled (training) or deterministic latent positions of the current minibatch. */
        public FMatrixRMaj z() {
            return enc.z;
        }

        public int rows() {
            return rows;
        }

        public double reconstructionSum() {
            return recSum;
        }

        public double klSum() {
            return klSum;
        }
    }

    /**
     * @param specs            datasets, in order; dataset 0 defines the output gene space
     * @param genes            size of the output gene space
     * @param libraryLogMean   per global batch, mean of log library sizes (prior of ℓ)
     * @param libraryLogVar    per global batch, variance of log library sizes
     */
    public JointVae(ComputeBackend backend, GimviArchitecture arch, DatasetSpec[] specs, int genes,
                    float[] libraryLogMean, float[] libraryLogVar, Rng rng) {
        arch.validate();
        this.backend = backend;
        this.arch = arch;
        this.specs = specs.clone();
        this.genes = genes;
        int s = 0;
        for (DatasetSpec d : specs) {
            s = Math.max(s, d.batchOffset() + d.nBatches());
        }
        this.totalBatches = s;
        int[] inputs = new int[specs.length];
        for (int m = 0; m < specs.length; m++) {
            inputs[m] = specs[m].nGenes();
        }
        encoder = new MultiEncoder(backend, inputs, arch, rng);
        libraryEncoders = new LibraryEncoder[specs.length];
        for (int m = 0; m < specs.length; m++) {
            if (specs[m].modelsLibrary()) {
                libraryEncoders[m] = new LibraryEncoder(backend, "l_encoder" + m, inputs[m], arch, rng);
            }
        }
        decoder = new GeneDecoder(backend, genes, totalBatches, arch, rng);
        int dispersionCols = arch.dispersion == Dispersion.GENE_BATCH ? totalBatches : 1;
        FMatrixRMaj r = backend.allocate(genes, dispersionCols);
        rng.fillGaussian(r.data, genes * dispersionCols);
        dispersion = new Parameter("px_r", r, backend.allocate(genes, dispersionCols));
        libraryPriorMean = libraryLogMean.clone();
        libraryPriorVar = libraryLogVar.clone();
        workspaces = new Workspace[specs.length];
        // every layer exists: lay all parameters out in one arena, z-encoder first, so that the two
        // optimiser groups (z-encoder, everything else) are one contiguous range each
        arena = ParameterArena.pack(backend, parameters());
        for (DatasetSpec d : specs) { // the gene maps index the backend's gathers and scatters: constant, given once
            backend.upload(d.geneMapping(), d.nGenes());
        }
    }

    /** The backend the module computes on (the training plan builds its classifier on it too). */
    ComputeBackend backendForPlan() {
        return backend;
    }

    public int datasets() {
        return specs.length;
    }

    public DatasetSpec spec(int m) {
        return specs[m];
    }

    public int genes() {
        return genes;
    }

    public int latent() {
        return arch.nLatent;
    }

    public int totalBatches() {
        return totalBatches;
    }

    public GimviArchitecture architecture() {
        return arch;
    }

    public float[] libraryPriorMean() {
        return libraryPriorMean.clone();
    }

    public float[] libraryPriorVar() {
        return libraryPriorVar.clone();
    }

    /**
     * Sizes every workspace for minibatches of up to {@code maxRows} cells (once), and gives every
     * parameter one gradient lane per dataset: dataset m's backward pass writes lane m only.
     */
    public void prepareWorkspaces(int maxRows) {
        if (workspaceRows >= maxRows) {
            return;
        }
        for (int m = 0; m < specs.length; m++) {
            workspaces[m] = new Workspace(this, m, maxRows);
        }
        arena.ensureLanes(backend, specs.length);
        imputationDecoder = null;
        workspaceRows = maxRows;
    }

    public int workspaceRows() {
        return workspaceRows;
    }

    public Workspace workspace(int m) {
        return workspaces[m];
    }

    // ================================================================== minibatch loading

    /**
     * Copies cells {@code index[from .. from+count)} of dataset m into its workspace. Cells are
     * ordered by batch so that each batch's θ applies to a contiguous run of rows.
     *
     * @param cellBatch global batch code of every cell of the dataset
     * @param order     scratch of length ≥ count
     */
    public void loadMinibatch(int m, CountMatrix data, int[] cellBatch, int[] index, int from, int count, int[] order) {
        Workspace w = workspaces[m];
        if (count > workspaceRows) {
            throw new IllegalArgumentException("minibatch of " + count + " cells exceeds the workspace (" + workspaceRows + ")");
        }
        DatasetSpec spec = specs[m];
        int k = 0;
        if (spec.nBatches() <= 1) {
            for (int i = 0; i < count; i++) {
                order[i] = index[from + i];
            }
        } else {
            // stable counting order by batch
            for (int s = spec.batchOffset(); s < spec.batchOffset() + spec.nBatches(); s++) {
                for (int i = 0; i < count; i++) {
                    int cell = index[from + i];
                    if (cellBatch[cell] == s) {
                        order[k++] = cell;
                    }
                }
            }
        }
        w.rows = count;
        w.x.reshape(count, w.cols);
        w.logx.reshape(count, w.cols);
        for (int i = 0; i < count; i++) {
            int cell = order[i];
            data.copyRow(cell, w.x.data, i * w.cols);
            int s = cellBatch[cell];
            w.batch[i] = s;
            w.priorMean[i] = libraryPriorMean[s];
            w.priorVar[i] = libraryPriorVar[s];
        }
        // the minibatch is assembled on the host (sparse rows, batch order); from here on it is the backend's
        backend.upload(w.x);
        backend.upload(w.batch, count);
        backend.upload(w.priorMean, count);
        backend.upload(w.priorVar, count);
        backend.sumRows(w.x, w.observedLibrary);
        backend.fastLog(w.observedLibrary, w.observedLibrary, count);
        // The encoders read log(1+x). Below SPARSE_INPUT_DENSITY they read it by its non-zero entries
        // (log1p of those alone, first layers that skip the zeros); the result is the same either
        // way, so the choice only changes the time.
        w.encoderInput = null;
        if (backend.prefersSparseInput()
                && backend.countNonZeros(w.x.data, count * w.cols) <= SPARSE_INPUT_DENSITY * count * w.cols) {
            backend.indexNonZeros(w.x, w.logxNonZeros);
            backend.log1p(w.logxNonZeros.values(), w.logxNonZeros.values(), w.logxNonZeros.count());
            w.logxNonZeros.indexColumns();
            w.encoderInput = w.logxNonZeros;
            return;
        }
        backend.log1p(w.x.data, w.logx.data, count * w.cols);
    }

    // ================================================================== training forward / backward

    /** Inference only (training mode, sampled z and ℓ): what the classifier step needs. */
    public void inference(int m, Rng rng) {
        inference(m, rng, ForwardMode.TRAINING);
    }

    private void inference(int m, Rng rng, ForwardMode mode) {
        encodeLatent(m, rng, mode);
        encodeLibrary(m, rng, mode);
    }

    private void encodeLatent(int m, Rng rng, ForwardMode mode) {
        Workspace w = workspaces[m];
        encoder.forward(m, w.logx, w.encoderInput, w.enc, rng, mode, Posterior.SAMPLE);
    }

    private void encodeLibrary(int m, Rng rng, ForwardMode mode) {
        Workspace w = workspaces[m];
        if (w.lib != null) {
            libraryEncoders[m].forward(w.logx, w.encoderInput, w.lib, rng, mode, Posterior.SAMPLE);
        }
    }

    /**
     * {@link #forwardLoss(int, Rng)} in two halves: first the z-encoder (training mode, z sampled into
     * the workspace), then {@link #forwardLossFromLatent} for the rest. In between, z is final for this
     * step, so the training plan can start the fool term on it while the rest of the forward runs.
     */
    public void encodeLatent(int m, Rng rng) {
        encodeLatent(m, rng, ForwardMode.TRAINING);
    }

    /**
     * The library encoder of dataset m on the loaded minibatch (training mode, ℓ sampled; no-op for an
     * observed library): {@link #inference(int, Rng)} is {@link #encodeLatent(int, Rng)} then this.
     */
    public void encodeLibrary(int m, Rng rng) {
        encodeLibrary(m, rng, ForwardMode.TRAINING);
    }

    /** The ELBO forward after {@link #encodeLatent(int, Rng)}: library encoder, decoder, likelihood, KL terms. */
    public void forwardLossFromLatent(int m, Rng rng) {
        forwardLossFromLatent(m, rng, ForwardMode.TRAINING);
    }

    /**
     * Forward pass of the ELBO for the loaded minibatch of dataset m (training mode). Leaves per-cell
     * reconstruction and KL terms, and their sums, in the workspace.
     */
    public void forwardLoss(int m, Rng rng) {
        forwardLoss(m, rng, ForwardMode.TRAINING);
    }

    /**
     * The same loss in eval mode (BatchNorm running statistics, no dropout, z still sampled): the
     * validation ELBO. Not followed by a backward pass.
     */
    public void forwardLossEval(int m, Rng rng) {
        forwardLoss(m, rng, ForwardMode.EVALUATION);
    }

    private void forwardLoss(int m, Rng rng, ForwardMode mode) {
        encodeLatent(m, rng, mode);
        forwardLossFromLatent(m, rng, mode);
    }

    private void forwardLossFromLatent(int m, Rng rng, ForwardMode mode) {
        Workspace w = workspaces[m];
        DatasetSpec spec = specs[m];
        int rows = w.rows;
        int cols = w.cols;
        encodeLibrary(m, rng, mode);
        w.ell = w.lib != null ? w.lib.ell : w.observedLibrary;

        decoder.forward(w.enc.z, w.batch, w.dec, rng, mode);
        w.logRho.reshape(rows, cols);
        w.mu.reshape(rows, cols);
        backend.rowLogSoftmax(w.dec.logits, w.logRho);
        backend.addToRowsExp(w.logRho, w.ell, w.mu); // μ = exp(log ρ + ℓ)

        likelihood(spec, w, rows, cols);
        backend.sumRows(w.logp, w.rec);
        backend.normalKl(w.enc.params, w.klZ);
        if (w.lib != null) {
            libraryEncoders[m].kl(w.lib, w.priorMean, w.priorVar, w.klL);
        } else {
            backend.fill(0f, w.klL, 0, rows); // observed library: no KL term
        }
        backend.negativeElboSums(w.rec, w.klZ, w.klL, rows, w.sums);
        w.recSum = w.sums[0];
        w.klSum = w.sums[1];
    }

    /**
     * Log-likelihood of every (cell, gene) and its gradients. Rows are ordered by batch, and θ (or the
     * Gaussian variance) depends on the batch, so the kernel runs once per contiguous run of rows.
     */
    private void likelihood(DatasetSpec spec, Workspace w, int rows, int cols) {
        w.logp.reshape(rows, cols);
        w.muGrad.reshape(rows, cols);
        if (spec.likelihood() == Likelihood.POISSON) {
            backend.poisson(rows, cols, w.x.data, w.mu.data, w.logp.data, w.muGrad.data);
            return;
        }
        w.thetaGrad.reshape(rows, cols);
        if (w.piGrad != null) {
            w.piGrad.reshape(rows, cols);
        }
        int start = 0;
        while (start < rows) {
            int s = w.batch[start];
            int end = start + 1;
            while (end < rows && w.batch[end] == s) {
                end++;
            }
            fillTheta(spec, s, w.theta);
            likelihoodRun(spec, w, start * cols, end - start, cols);
            start = end;
        }
    }

    /** One batch run of n rows starting at element {@code off}, computed in place at that offset. */
    private void likelihoodRun(DatasetSpec spec, Workspace w, int off, int n, int cols) {
        float[] x = w.x.data;
        float[] mu = w.mu.data;
        float[] logp = w.logp.data;
        float[] gMu = w.muGrad.data;
        float[] gTh = w.thetaGrad.data;
        switch (spec.likelihood()) {
            case ZINB -> backend.zeroInflatedNegBinomial(n, cols, off, x, mu, w.theta, w.dec.piLogits.data, logp, gMu,
                    gTh, w.piGrad.data);
            case NB -> backend.negBinomial(n, cols, off, x, mu, w.theta, logp, gMu, gTh);
            case GAUSSIAN -> backend.gaussian(n, cols, off, x, mu, w.theta, logp, gMu, gTh);
            default -> throw new IllegalStateException("batch runs are not used for " + spec.likelihood());
        }
    }

    /** θ = exp(r) at the dataset's genes in batch s. */
    private void fillTheta(DatasetSpec spec, int s, float[] theta) {
        int[] map = spec.geneMapping();
        backend.gatherExp(dispersion.value(), dispersion.cols() == 1 ? 0 : s, map, theta, map.length);
    }

    /**
     * Backward of {@link #forwardLoss} for loss = scale · Σ_cells (rec + klWeight·KL), plus an
     * optional extra gradient at z (the adversarial fool term). Accumulates parameter gradients.
     * The two halves below, called in turn, give the same bits.
     */
    public void backward(int m, float scale, float klWeight, FMatrixRMaj dzExtra) {
        backwardToLatent(m, scale, klWeight);
        backwardLatentEncoder(m, scale, klWeight, dzExtra);
    }

    /**
     * The first half of {@link #backward}: the likelihood, decoder, dispersion and library encoder
     * (everything a gradient at z does not reach), leaving the ELBO's gradient at z in the workspace.
     * Needs no fool-term gradient, so it can run while that is computed.
     */
    public void backwardToLatent(int m, float scale, float klWeight) {
        Workspace w = workspaces[m];
        DatasetSpec spec = specs[m];
        int rows = w.rows;
        int cols = w.cols;
        w.dLogits.reshape(rows, cols);
        // ∂loss/∂log μ = −scale·μ∂logp/∂μ ; log μ = ℓ + log-softmax(logits)
        backend.exp(w.logRho.data, w.dLogits.data, rows * cols); // softmax probabilities p
        backend.softmaxLibraryBackward(w.dLogits, w.muGrad, scale, w.dEll, w.dLogits);
        FMatrixRMaj dPi = null;
        if (w.piGrad != null) {
            w.dPi.reshape(rows, cols);
            backend.scale(-scale, w.piGrad.data, w.dPi.data, rows * cols);
            dPi = w.dPi;
        }
        if (w.thetaGrad != null) {
            accumulateDispersionGrad(spec, w, -scale);
        }

        w.dz = decoder.backward(w.enc.z, w.batch, w.dec, w.dLogits, dPi);
        if (w.lib != null) { // its parameters are its own: their order against the z-encoder's changes no bit
            libraryEncoders[m].backward(w.logx, w.encoderInput, w.lib, w.dEll, scale * klWeight, w.priorMean, w.priorVar);
        }
    }

    /**
     * The second half of {@link #backward}, after {@link #backwardToLatent}: adds the optional extra
     * gradient at z and runs the z-encoder's backward.
     */
    public void backwardLatentEncoder(int m, float scale, float klWeight, FMatrixRMaj dzExtra) {
        Workspace w = workspaces[m];
        FMatrixRMaj dz = w.dz;
        if (dzExtra != null) {
            backend.axpy(1f, dzExtra.data, dz.data, w.rows * arch.nLatent);
        }
        encoder.backward(m, w.logx, w.encoderInput, w.enc, dz, scale * klWeight);
    }

    /**
     * Backward of a loss on dataset m's sampled z alone (the 2019 scheme's fool step): dz is the loss
     * gradient at the z of the last training inference or ELBO forward of m. Only the z-encoder
     * (head m, shared trunk, posterior) gets gradients, in lane m; the library encoders, decoder and
     * dispersion are not reached.
     */
    public void backwardFromLatent(int m, FMatrixRMaj dz) {
        Workspace w = workspaces[m];
        encoder.backward(m, w.logx, w.encoderInput, w.enc, dz, 0f);
    }

    private void accumulateDispersionGrad(DatasetSpec spec, Workspace w, float factor) {
        int[] group = dispersion.cols() == 1 ? null : w.batch;
        backend.scatterAddScaledByGroup(factor, w.thetaGrad, spec.geneMapping(), group, dispersion.grad(w.dataset));
    }

    /**
     * Applies the BatchNorm running-statistics updates that dataset m's last training forward (ELBO
     * or inference) staged. Committing datasets in order 0, 1, … gives every shared layer the same
     * sequence of updates as running the datasets one after another.
     */
    public void commitRunningStatistics(int m) {
        Workspace w = workspaces[m];
        encoder.commitRunningStatistics(m, w.enc);
        commitLibraryRunningStatistics(m);
        decoder.commitRunningStatistics(w.dec);
    }

    /**
     * {@link #commitRunningStatistics} for dataset m's library encoder alone (no-op without one). That
     * encoder serves dataset m only, so its commits need no order with the other datasets'.
     */
    public void commitLibraryRunningStatistics(int m) {
        Workspace w = workspaces[m];
        if (w.lib != null) {
            libraryEncoders[m].commitRunningStatistics(w.lib);
        }
    }

    /**
     * Sums the datasets' gradient lanes into lane 0, lane by lane in order, and zeroes them: one
     * backend call per lane over the whole arena ({@link ParameterArena#reduceLanes}). Only lanes
     * 1..datasets−1 are ever written (dataset m writes lane m).
     */
    public void reduceGradientLanes() {
        arena.reduceLanes(backend);
    }

    /** The memory map of the module's parameters (printable: {@code toString()}). */
    public ParameterArena parameterArena() {
        return arena;
    }

    // ================================================================== eval-mode outputs

    /**
     * Eval-mode encoding of the loaded minibatch: posterior mean (deterministic) or a sample of z,
     * and of ℓ for a latent library (rng is read only for a sample).
     */
    public void encodeEval(int m, Posterior posterior, Rng rng) {
        Workspace w = workspaces[m];
        encoder.forward(m, w.logx, w.encoderInput, w.enc, rng, ForwardMode.EVALUATION, posterior);
        if (w.lib != null) {
            libraryEncoders[m].forward(w.logx, w.encoderInput, w.lib, rng, ForwardMode.EVALUATION, posterior);
            w.ell = w.lib.ell;
        } else {
            w.ell = w.observedLibrary;
        }
        backend.download(w.enc.z); // a result: the latent positions leave the backend
    }

    /**
     * Eval-mode decode of the loaded (and encoded) minibatch over all G output genes.
     *
     * @param renormaliseTo dataset whose genes the proportions are renormalised to (gimVI's decode_mode)
     * @param scale         proportions ρ, or expected counts μ = ρ·exp(ℓ)
     * @param out           B × G output
     */
    public void decodeAll(int m, int renormaliseTo, Scale scale, FMatrixRMaj out) {
        Workspace w = workspaces[m];
        if (imputationDecoder == null) { // proportions over all genes read the scale head alone
            imputationDecoder = decoder.newWorkspace(null, GeneDecoder.Heads.SCALE, workspaceRows, 0);
        }
        DatasetSpec target = specs[renormaliseTo];
        decoder.decodeAllGenes(w.enc.z, w.batch, imputationDecoder, target.isIdentity(genes) ? null : target.geneMapping(), out);
        if (scale == Scale.EXPECTED_COUNTS) {
            backend.fastExp(w.ell, w.libraryScale, w.rows);
            backend.scaleRows(out, w.libraryScale, out);
        }
        backend.download(out);
    }

    /** Inverse dispersion θ = exp(r) (G × columns). */
    public FMatrixRMaj inverseDispersion() {
        FMatrixRMaj t = new FMatrixRMaj(dispersion.rows(), dispersion.cols());
        TensorView r = dispersion.value();
        backend.expDouble(r.array(), r.offset(), t.data, r.size()); // a model output: exp in double, once per model
        backend.download(t.data, r.size());
        return t;
    }

    // ================================================================== parameters

    /**
     * Brings every parameter and buffer (BatchNorm running statistics) back to the host: after
     * training, before the model is read, saved or copied.
     */
    public void downloadState() {
        backend.download(arena.values(), arena.size());
        for (NamedBuffer b : buffers()) {
            backend.download(b.data(), b.data().length);
        }
    }

    /**
     * Hands every parameter and buffer written on the host (values read from a model file) to the
     * backend: the counterpart of {@link #downloadState}, before the model computes again.
     */
    public void uploadState() {
        backend.upload(arena.values(), arena.size());
        for (NamedBuffer b : buffers()) {
            backend.upload(b.data(), b.data().length);
        }
    }

    /** The z-encoder's parameters: what a loss on z alone reaches ({@link #backwardFromLatent}). */
    public List<Parameter> latentEncoderParameters() {
        return encoder.parameters();
    }

    /** Every parameter but the z-encoder's: library encoders, decoder and dispersion. */
    public List<Parameter> parametersBeyondLatentEncoder() {
        List<Parameter> all = parameters();
        all.removeAll(latentEncoderParameters());
        return all;
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        encoder.collectParameters(out);
        for (LibraryEncoder l : libraryEncoders) {
            if (l != null) {
                l.collectParameters(out);
            }
        }
        decoder.collectParameters(out);
        out.add(dispersion);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        encoder.collectBuffers(out);
        for (LibraryEncoder l : libraryEncoders) {
            if (l != null) {
                l.collectBuffers(out);
            }
        }
        decoder.collectBuffers(out);
    }
}

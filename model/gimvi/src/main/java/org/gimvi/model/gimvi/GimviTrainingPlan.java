package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.nn.Adam;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.parallel.JitActivity;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.engine.matrix.CountMatrix;

/**
 * gimVI's training plan: per step one minibatch from every dataset, then the optimiser steps of the
 * configured {@link TrainingScheme}:
 * <ul>
 *   <li>SPEC (scvi-tools' GIMVI with its adversarial plan, gimvi-spec.md §§6–7): a generator step on
 *       ELBO + κ·fool, then a classifier step on freshly re-encoded, detached latent positions;</li>
 *   <li>PAPER2019 (the authors' 2019 JVAETrainer, §12, §12a): (a) encode, classifier step on the
 *       detached z with the true labels; (b) fool step on the same z with the updated classifier,
 *       stepped with the generator's Adam; (c) fresh forward and ELBO step with that Adam again.</li>
 * </ul>
 *
 * <p>Pairing: the dataset with the most training cells drives the epoch; the others are shuffled at
 * the start of each epoch and, when exhausted within it, replay the same batches in the same order
 * (scvi-tools wraps their loaders in itertools.cycle, which replays its cached first pass).
 *
 * <p>Datasets in parallel: within a step, each dataset's minibatch loading, forward passes and
 * backward passes run as one task per dataset on the {@link WorkerPool}. Nothing the tasks write is
 * shared: each dataset has its own random stream, its own gradient lane of every parameter (summed in
 * dataset order before the optimizer step) and staged BatchNorm running-statistics updates (applied
 * in dataset order after each phase). The arithmetic is therefore the same whether the tasks run on
 * one thread or several, and results are bit-identical for any thread count. The adversarial
 * classifier couples the datasets: its fool term runs between the phases on the calling thread.
 * Under SPEC its own step (on the re-encoded z) runs one step late, as one more task beside the next
 * step's forward passes: that step reads only the classifier's input copy and writes only the
 * classifier, and the forward passes neither read nor write the classifier, so the order of the two
 * changes no number; the next fool term, which does read the classifier, comes after both. A
 * narrow-panel step's two dataset tasks are unequal (the reference has the library encoder and the
 * ZINB), so the third task fills the idle core instead of running alone after the phase.
 *
 * <p>The whole loop allocates nothing per step: workspaces are sized before the first epoch.
 */
public final class GimviTrainingPlan {

    /** One dataset as the plan sees it. */
    public record Input(String name, CountMatrix counts, int[] cellBatch, DataSplit split) {
    }

    private final JointVae vae;
    private final List<Input> inputs;
    private final TrainingConfig cfg;
    private final AdversarialClassifier classifier; // null when κ = 0 or one dataset
    private final GeneratorAdam generatorOptimizer;
    private final Adam classifierOptimizer;
    private final int[][] order;
    private final int[] cursor;
    private final int[][] scratch;
    private final FMatrixRMaj[] foolGrad;
    private final Rng shuffleRng;
    private final Rng stepRng;       // the classifier's dropout
    private final Rng validationRng;
    private final Rng[] datasetRng;  // each dataset's dropout and reparameterisation noise
    private final WorkerPool pool;   // null: run the dataset tasks one after another

    // per-step arguments of the dataset tasks (fields, so that dispatching a task allocates nothing)
    private float stepScale;
    private float stepKlWeight;
    private double stepFool; // the fool loss of the step, written by its task
    private final WorkerPool.Task backwardToLatentBesideFoolTerm = this::backwardToLatentBesideFoolTerm;
    private final WorkerPool.Task latentEncoderBackward = this::latentEncoderBackward;
    private final WorkerPool.Task reencode = this::reencode;
    private final WorkerPool.Task load = this::load;
    private final WorkerPool.Task loadAndEncode = this::loadAndEncode;
    private final WorkerPool.Task foolBackward = this::foolBackward;
    private final WorkerPool.Task forwardElbo = this::forwardElbo;
    private final WorkerPool.Task elboBackward = this::elboBackward;
    private final WorkerPool.Task forwardBesideClassifierStep = this::forwardBesideClassifierStep;

    // SPEC's classifier step, prepared at the end of a step and run beside the next one's forward passes
    private boolean classifierStepPending;
    private double classifierStepLoss;

    /**
     * The generator's Adam (every module parameter). PyTorch keeps Adam's state, step count included,
     * per parameter, and skips a parameter whose gradient is None, i.e. one no backward has reached
     * yet. Under PAPER2019 the fool loss reaches only the z-encoder, so on the very first fool step the
     * other parameters are skipped and from then on their step count trails the z-encoder's by one.
     * Those are the only two step counts, so the optimiser is one Adam per group with the same
     * settings: the same arithmetic as one Adam with per-parameter state. Under SPEC both groups
     * always step together, as one Adam.
     */
    private static final class GeneratorAdam {
        final Adam latentEncoder; // the z-encoder: reached by every backward
        final Adam rest;          // library encoders, decoder, dispersion: reached by the ELBO only

        GeneratorAdam(JointVae vae, TrainingConfig cfg) {
            latentEncoder = new Adam(vae.backendForPlan(), vae.latentEncoderParameters(), cfg.learningRate, 0.9f, 0.999f, cfg.adamEps,
                    cfg.weightDecay);
            rest = new Adam(vae.backendForPlan(), vae.parametersBeyondLatentEncoder(), cfg.learningRate, 0.9f, 0.999f, cfg.adamEps,
                    cfg.weightDecay);
        }

        void zeroGrad() {
            latentEncoder.zeroGrad();
            rest.zeroGrad();
        }

        /** After a backward that reached every parameter (the ELBO). */
        void step() {
            latentEncoder.step();
            rest.step();
        }

        /**
         * After a backward that reached only the z-encoder (PAPER2019's fool step). PyTorch before 2.0
         * zero-fills gradients in zero_grad() once they exist, so the other parameters still take an
         * Adam step, with gradient 0 plus weight decay, driven by their moments; before their first
         * ELBO backward their gradient is None and Adam skips them.
         */
        void stepAfterLatentOnlyBackward() {
            latentEncoder.step();
            if (rest.steps() > 0) {
                rest.step();
            }
        }
    }

    public GimviTrainingPlan(JointVae vae, List<Input> inputs, TrainingConfig cfg, Rng rng) {
        cfg.validate();
        this.vae = vae;
        this.inputs = inputs;
        this.cfg = cfg;
        int datasets = inputs.size();
        vae.prepareWorkspaces(cfg.batchSize);
        generatorOptimizer = new GeneratorAdam(vae, cfg);
        Rng initRng = rng.split();
        shuffleRng = rng.split();
        stepRng = rng.split();
        validationRng = rng.split();
        datasetRng = new Rng[datasets];
        for (int m = 0; m < datasets; m++) {
            datasetRng[m] = rng.split();
        }
        pool = datasetsInParallel(vae, datasets, cfg.batchSize) ? WorkerPool.shared() : null;
        if (cfg.kappa > 0 && datasets > 1) {
            classifier = new AdversarialClassifier(vae.backendForPlan(), vae.latent(), datasets,
                    cfg.scheme.classifierBatches(), cfg.batchSize, initRng);
            classifierOptimizer = new Adam(vae.backendForPlan(), classifier.parameters(), cfg.learningRate, 0.9f, 0.999f, cfg.adamEps,
                    cfg.scheme.classifierWeightDecay(cfg.weightDecay));
        } else {
            classifier = null;
            classifierOptimizer = null;
        }
        order = new int[datasets][];
        cursor = new int[datasets];
        for (int m = 0; m < datasets; m++) {
            order[m] = inputs.get(m).split().train().clone();
        }
        scratch = new int[datasets][cfg.batchSize];
        foolGrad = new FMatrixRMaj[datasets];
        for (int m = 0; m < datasets; m++) {
            foolGrad[m] = vae.backendForPlan().allocate(cfg.batchSize, vae.latent());
        }
    }

    /**
     * Whether to run the datasets' tasks on the worker pool. Either way gives the same numbers; this
     * only picks the faster schedule. Small models gain from running datasets side by side; with
     * many output genes a single decoder product is worth splitting over the threads instead, which a
     * task already running on the pool cannot do (nested loops run serially).
     */
    static boolean datasetsInParallel(JointVae vae, int datasets, int batchSize) {
        if (datasets < 2 || WorkerPool.shared().threads() < 2) {
            return false;
        }
        long decoderFlops = 2L * batchSize * vae.architecture().decoderOutputWidth() * vae.genes();
        return decoderFlops < PARALLEL_DECODER_FLOPS;
    }

    /** Above this many FLOPs per decoder product, threads split the products instead of the datasets. */
    private static final long PARALLEL_DECODER_FLOPS = 2_000_000L;

    private int driver() {
        int best = 0;
        for (int m = 1; m < inputs.size(); m++) {
            if (order[m].length > order[best].length) {
                best = m;
            }
        }
        return best;
    }

    /** Runs the configured number of epochs (or until early stopping). */
    public TrainingHistory train(TrainingListener listener) {
        int datasets = inputs.size();
        String[] names = new String[datasets];
        for (int m = 0; m < datasets; m++) {
            names[m] = inputs.get(m).name();
        }
        TrainingHistory history = new TrainingHistory(names);
        int driver = driver();
        int steps = (order[driver].length + cfg.batchSize - 1) / cfg.batchSize;
        double bestValidation = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        double[] rec = new double[datasets];
        double[] kl = new double[datasets];
        long[] cells = new long[datasets];
        for (int epoch = 0; epoch < cfg.epochs; epoch++) {
            long t0 = System.nanoTime();
            float klWeight = cfg.klWeight(epoch);
            for (int m = 0; m < datasets; m++) {
                shuffleForEpoch(m);
                cursor[m] = 0;
                rec[m] = 0;
                kl[m] = 0;
                cells[m] = 0;
            }
            if (classifier != null) {
                classifier.resetStatistics();
            }
            double fool = 0;
            double clf = 0;
            for (int step = 0; step < steps; step++) {
                double[] losses = step(klWeight);
                fool += losses[0];
                clf += losses[1];
                for (int m = 0; m < datasets; m++) {
                    JointVae.Workspace w = vae.workspace(m);
                    rec[m] += w.reconstructionSum();
                    kl[m] += w.klSum();
                    cells[m] += w.rows();
                }
            }
            // the epoch's last classifier step, before anything reads the classifier (the epoch
            // record's accuracy and confusion, a listener's checkpoint, the end of training)
            clf += completePendingClassifierStep();
            double[] recMean = new double[datasets];
            double[] klMean = new double[datasets];
            for (int m = 0; m < datasets; m++) {
                recMean[m] = rec[m] / cells[m];
                klMean[m] = kl[m] / cells[m];
            }
            double validation = Double.NaN;
            if (cfg.earlyStopping || cfg.monitorValidation) {
                validation = validationElbo();
            }
            EpochRecord record = new EpochRecord(epoch, klWeight, recMean, klMean,
                    classifier == null ? Double.NaN : fool / steps,
                    classifier == null ? Double.NaN : clf / steps,
                    classifier == null ? Double.NaN : classifier.accuracy(),
                    classifier == null ? null : classifier.confusion(),
                    validation, (System.nanoTime() - t0) / 1e9);
            history.add(record);
            listener.epochFinished(record, cfg.epochs);
            if (!Double.isFinite(recMean[0]) || !Double.isFinite(klMean[0])) {
                throw new IllegalStateException("training diverged at epoch " + epoch + " (loss is not finite); "
                        + "check the input for extreme values ('gimvi info FILE' says whether they are counts; z-scored "
                        + "data cannot be modelled) or, in the library API, lower TrainingConfig.learningRate");
            }
            if (cfg.earlyStopping && Double.isFinite(validation)) {
                if (validation < bestValidation) {
                    bestValidation = validation;
                    sinceBest = 0;
                } else if (++sinceBest >= cfg.earlyStoppingPatience) {
                    history.markStoppedEarly();
                    break;
                }
            }
        }
        vae.downloadState();
        return history;
    }

    private final double[] stepLosses = new double[2];

    /**
     * One training step of the configured scheme on the next minibatch of every dataset; returns
     * {fool loss, classifier loss} (unweighted; under PAPER2019 sums of per-dataset means) in a reused
     * array. Under SPEC the classifier step of this minibatch is left pending and runs beside the next
     * call's forward passes, so the classifier loss returned is the previous minibatch's (0 for the
     * first); {@link #completePendingClassifierStep} runs a pending one. Public for benchmarks;
     * {@link #train} is the normal entry point.
     */
    public double[] step(float klWeight) {
        switch (cfg.scheme) {
            case SPEC -> specStep(klWeight);
            case PAPER2019 -> {
                stepLosses[1] = paper2019ClassifierStep();
                stepLosses[0] = paper2019FoolStep();
                paper2019ElboStep(klWeight);
            }
            default -> throw new IllegalStateException("unknown scheme " + cfg.scheme);
        }
        return stepLosses;
    }

    /** SPEC: one generator step on ELBO + κ·fool, then one classifier step on re-encoded z. */
    private void specStep(float klWeight) {
        int datasets = inputs.size();
        stepKlWeight = klWeight;

        // ---- generator step: ELBO averaged over all cells of the step, plus κ·fool; the previous
        // minibatch's classifier step, when pending, runs beside the forward passes
        generatorOptimizer.zeroGrad();
        boolean besideClassifierStep = classifierStepPending;
        runTasks(datasets + (besideClassifierStep ? 1 : 0), forwardBesideClassifierStep);
        double clf = besideClassifierStep ? classifierStepDone() : 0;
        int totalCells = 0;
        for (int m = 0; m < datasets; m++) {
            vae.commitRunningStatistics(m);
            totalCells += vae.workspace(m).rows();
        }
        checkDriver();
        // backward: the decoder side of every dataset needs no fool-term gradient, so the fool term
        // (the classifier on both datasets' z, its gradient at z) runs beside it; then the z-encoders
        stepScale = 1f / totalCells;
        stepFool = 0;
        runTasks(datasets + (classifier != null ? 1 : 0), backwardToLatentBesideFoolTerm);
        forEachDataset(latentEncoderBackward);
        double fool = stepFool;
        vae.reduceGradientLanes();
        generatorOptimizer.step();

        // ---- classifier step on re-encoded, detached z with the true labels, weighted by κ: its input
        // is copied now; the step runs beside the next step's forward passes (or at the epoch's end)
        if (classifier != null) {
            forEachDataset(reencode);
            classifier.clearInput();
            for (int m = 0; m < datasets; m++) {
                vae.commitRunningStatistics(m);
                classifier.appendInput(vae.workspace(m).z(), vae.workspace(m).rows(), m);
            }
            classifierStepPending = true;
        }
        stepLosses[0] = fool;
        stepLosses[1] = clf;
    }

    /** Runs the classifier step the last SPEC step left pending; returns its loss (0 when none was). */
    public double completePendingClassifierStep() {
        if (!classifierStepPending) {
            return 0;
        }
        classifierStep();
        return classifierStepDone();
    }

    /** Marks the pending classifier step run; returns its loss. */
    private double classifierStepDone() {
        classifierStepPending = false;
        return classifierStepLoss;
    }

    /** SPEC's classifier step on the input the last step copied in. */
    private void classifierStep() {
        classifierOptimizer.zeroGrad();
        classifierStepLoss = classifier.classifierLoss(cfg.kappa, stepRng);
        classifierOptimizer.step();
    }

    /** Tasks 0 … datasets−1: a dataset's minibatch and ELBO forward; task {@code datasets} (when asked for): the pending classifier step. */
    private void forwardBesideClassifierStep(int task) {
        if (task < inputs.size()) {
            loadAndForward(task);
        } else {
            classifierStep();
        }
    }

    /**
     * PAPER2019 (a): loads every dataset's next minibatch and, with an adversary, encodes it (training
     * mode, sampled z) and steps the classifier on the detached z with the true labels, weighted by κ.
     * The encoder's activations stay in the workspaces for the fool step. Returns the classifier loss.
     */
    double paper2019ClassifierStep() {
        if (classifier == null) {
            forEachDataset(load);
            checkDriver();
            return 0;
        }
        forEachDataset(loadAndEncode);
        checkDriver();
        classifier.clearInput();
        for (int m = 0; m < inputs.size(); m++) {
            vae.commitRunningStatistics(m);
            classifier.appendInput(vae.workspace(m).z(), vae.workspace(m).rows(), m);
        }
        classifierOptimizer.zeroGrad();
        double clf = classifier.classifierLoss(cfg.kappa, stepRng);
        classifierOptimizer.step();
        return clf;
    }

    /**
     * PAPER2019 (b): the fool loss on the same z as (a), through the classifier (a) just updated, with
     * flipped labels and weight κ; its gradient goes back through the z-encoder only, and the
     * generator's Adam steps: the z-encoder on that gradient, every other module parameter on a zero
     * gradient once it has Adam moments (see {@link GeneratorAdam#stepAfterLatentOnlyBackward}).
     * Returns the fool loss.
     */
    double paper2019FoolStep() {
        if (classifier == null) {
            return 0;
        }
        double fool = foolLossAndGradients(); // the input (a) loaded: the same z
        generatorOptimizer.zeroGrad();
        forEachDataset(foolBackward);
        vae.reduceGradientLanes();
        generatorOptimizer.stepAfterLatentOnlyBackward();
        return fool;
    }

    /**
     * PAPER2019 (c): a fresh forward of the minibatches (a) loaded (new dropout masks and samples,
     * parameters as (b) left them), the ELBO averaged over all cells of the step, and a step of the
     * generator's Adam.
     */
    void paper2019ElboStep(float klWeight) {
        stepKlWeight = klWeight;
        forEachDataset(forwardElbo);
        int totalCells = 0;
        for (int m = 0; m < inputs.size(); m++) {
            vae.commitRunningStatistics(m);
            totalCells += vae.workspace(m).rows();
        }
        generatorOptimizer.zeroGrad();
        stepScale = 1f / totalCells;
        forEachDataset(elboBackward);
        vae.reduceGradientLanes();
        generatorOptimizer.step();
    }

    private void checkDriver() {
        int driver = driver();
        if (cursor[driver] > order[driver].length) {
            throw new IllegalStateException("driver overran its epoch");
        }
    }


    private void forEachDataset(WorkerPool.Task task) {
        runTasks(inputs.size(), task);
    }

    /**
     * Tasks 0 … n−1 on the pool when datasets run side by side, else one after another — and one
     * after another also while the JIT still compiles a fresh JVM's kernels on a machine the pool
     * fills ({@link JitActivity}): the same bits either way.
     */
    private void runTasks(int n, WorkerPool.Task task) {
        if (pool != null && !JitActivity.shared().competesWith(Math.min(n, pool.threads()))) {
            pool.forEach(n, task);
        } else {
            for (int t = 0; t < n; t++) {
                task.run(t);
            }
        }
    }

    /** Dataset m's next minibatch and its ELBO forward pass (one task). */
    private void loadAndForward(int m) {
        load(m);
        vae.forwardLoss(m, datasetRng[m]);
    }

    /** Dataset m's next minibatch and its encoding (training mode, sampled z and ℓ). */
    private void loadAndEncode(int m) {
        load(m);
        vae.inference(m, datasetRng[m]);
    }

    /**
     * Dataset m's training cells in this epoch's order: a uniform shuffle of an in-memory matrix, or
     * the order a {@link CellSource} chooses (a file on disk keeps its reads sequential).
     */
    private void shuffleForEpoch(int m) {
        if (inputs.get(m).counts() instanceof CellSource source) {
            source.orderForEpoch(order[m], shuffleRng);
        } else {
            shuffleRng.shuffle(order[m], order[m].length);
        }
    }

    /** Dataset m's next minibatch into its workspace. */
    private void load(int m) {
        Input in = inputs.get(m);
        int n = order[m].length;
        if (cursor[m] >= n) {
            // a non-driving dataset ran out within the epoch: replay this epoch's batches in the
            // same order (PyTorch's itertools.cycle over the cached first pass, as in scvi-tools)
            cursor[m] = 0;
        }
        int count = Math.min(cfg.batchSize, n - cursor[m]);
        vae.loadMinibatch(m, in.counts(), in.cellBatch(), order[m], cursor[m], count, scratch[m]);
        cursor[m] += count;
    }

    /** Tasks 0 … datasets−1: a dataset's backward up to z; task {@code datasets} (with an adversary): the fool term. */
    private void backwardToLatentBesideFoolTerm(int task) {
        if (task < inputs.size()) {
            vae.backwardToLatent(task, stepScale, stepKlWeight);
        } else {
            foolTerm();
        }
    }

    /** The fool term on both datasets' z (the classifier's flipped-label loss, weight κ): its gradient at each z. */
    private void foolTerm() {
        classifier.clearInput();
        for (int m = 0; m < inputs.size(); m++) {
            classifier.appendInput(vae.workspace(m).z(), vae.workspace(m).rows(), m);
        }
        stepFool = foolLossAndGradients();
    }

    /** The fool loss (flipped labels, weight κ) on the classifier's loaded input; its gradient at each dataset's z into foolGrad. */
    private double foolLossAndGradients() {
        double fool = classifier.foolLoss(cfg.kappa, stepRng);
        for (int m = 0; m < inputs.size(); m++) {
            classifier.inputGradient(m, foolGrad[m]);
        }
        return fool;
    }

    private void latentEncoderBackward(int m) {
        vae.backwardLatentEncoder(m, stepScale, stepKlWeight, classifier == null ? null : foolGrad[m]);
    }

    private void reencode(int m) {
        vae.inference(m, datasetRng[m]);
    }

    private void foolBackward(int m) {
        vae.backwardFromLatent(m, foolGrad[m]);
    }

    private void forwardElbo(int m) {
        vae.forwardLoss(m, datasetRng[m]);
    }

    private void elboBackward(int m) {
        vae.backward(m, stepScale, stepKlWeight, null);
    }

    /** Σ over datasets of Σ_cells (reconstruction + KL), divided by the number of validation cells. */
    double validationElbo() {
        double total = 0;
        long n = 0;
        for (int m = 0; m < inputs.size(); m++) {
            Input in = inputs.get(m);
            int[] val = in.split().validation();
            for (int from = 0; from < val.length; from += cfg.batchSize) {
                int count = Math.min(cfg.batchSize, val.length - from);
                vae.loadMinibatch(m, in.counts(), in.cellBatch(), val, from, count, scratch[m]);
                vae.forwardLossEval(m, validationRng);
                total += vae.workspace(m).reconstructionSum() + vae.workspace(m).klSum();
                n += count;
            }
        }
        return n == 0 ? Double.NaN : total / n;
    }

    /** Adam steps taken so far by the z-encoder's parameters and by the other module parameters. */
    long[] generatorSteps() {
        return new long[]{generatorOptimizer.latentEncoder.steps(), generatorOptimizer.rest.steps()};
    }

    /**
     * Backend Adam calls per step of the z-encoder group, the other module parameters and the
     * classifier (0 without one): 1, 1, 1 when every group is one contiguous run of its arena.
     */
    int[] optimizerGroups() {
        return new int[]{generatorOptimizer.latentEncoder.groups(), generatorOptimizer.rest.groups(),
                classifierOptimizer == null ? 0 : classifierOptimizer.groups()};
    }

    /** The adversarial classifier's parameters (empty without one), for tests. */
    List<Parameter> classifierParameters() {
        return classifier == null ? List.of() : classifier.parameters();
    }

    /** Parameters of the module the generator optimizer updates (for tests and reports). */
    public List<Parameter> generatorParameters() {
        return vae.parameters();
    }
}

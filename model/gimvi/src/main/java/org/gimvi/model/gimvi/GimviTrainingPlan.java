package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.nn.Adam;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.jit.JitActivity;
import org.gimvi.engine.parallel.TaskFlags;
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
 * classifier couples the datasets: its fool term reads every dataset's z. Under SPEC the generator
 * step is one task graph (see {@link #specStep}) whose tasks wait only for what they read: the
 * classifier's own step (on the re-encoded z) runs one step late, as the graph's first task — it
 * reads only the classifier's input copy and writes only the classifier, which no forward pass
 * touches, so its place changes no number — and the fool term, which reads the stepped classifier
 * and every z, starts as soon as both are there.
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
    private final WorkerPool.Task specGraphTask = this::specGraphTask;
    private final WorkerPool.Task reencodeLatent = this::reencodeLatent;
    private final WorkerPool.Task load = this::load;
    private final WorkerPool.Task loadAndEncode = this::loadAndEncode;
    private final WorkerPool.Task foolBackward = this::foolBackward;
    private final WorkerPool.Task forwardElbo = this::forwardElbo;
    private final WorkerPool.Task elboBackward = this::elboBackward;

    // SPEC's classifier step, prepared at the end of a step and run in the next one's task graph
    private boolean classifierStepPending;
    private boolean libraryReencodePending; // the library encoders' half of SPEC's re-encoding
    private final SpecGraph graph;
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
        StepCompilation.prepare();
        vae.backendForPlan().prepareForTraining();
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
        graph = new SpecGraph(datasets);
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

    /**
     * SPEC: one generator step on ELBO + κ·fool, then one classifier step on re-encoded z.
     *
     * <p>The generator step up to its gradients is one task graph ({@link #specGraphTask}): what the
     * previous step left pending (its classifier step, its library encoders' re-encoding), every
     * dataset's forward (z-encoder first, then the rest), the fool term, every dataset's backward up
     * to z, every dataset's z-encoder backward.
     * Each task waits only for what it reads, so the fool term starts as soon as the classifier is
     * stepped and every z is sampled, while the forwards still run: the adversary's chain (classifier
     * step, fool term, z-encoders' backward) is the longest path of a narrow step, and barriers
     * between phases made every task wait for the slowest of the phase before.
     */
    private void specStep(float klWeight) {
        int datasets = inputs.size();
        stepKlWeight = klWeight;
        // the step's cell count is known before loading (the same rule as load), so every backward
        // can scale by it without waiting for the other datasets
        int totalCells = 0;
        for (int m = 0; m < datasets; m++) {
            totalCells += nextMinibatchCells(m);
        }
        stepScale = 1f / totalCells;
        stepFool = 0;

        // ---- generator step: ELBO averaged over all cells of the step, plus κ·fool
        generatorOptimizer.zeroGrad();
        graph.layOut();
        runGraph(graph.tasks);
        libraryReencodePending = false;
        double clf = graph.classifierTask >= 0 ? classifierStepDone() : 0;
        for (int m = 0; m < datasets; m++) {
            vae.commitRunningStatistics(m);
        }
        checkDriver();
        double fool = stepFool;
        vae.reduceGradientLanes();
        generatorOptimizer.step();

        // ---- classifier step on re-encoded, detached z with the true labels, weighted by κ: the
        // z-encoders re-run now and their z is copied into the classifier's input; the step itself,
        // and the library encoders' part of the re-encoding (which the classifier does not read), run
        // in the next step's graph (or at the epoch's end)
        if (classifier != null) {
            forEachDataset(reencodeLatent);
            classifier.clearInput();
            for (int m = 0; m < datasets; m++) {
                vae.commitRunningStatistics(m); // the z-encoder's staged statistics (nothing else ran)
                classifier.appendInput(vae.workspace(m).z(), vae.workspace(m).rows(), m);
            }
            classifierStepPending = true;
            libraryReencodePending = true;
        }
        stepLosses[0] = fool;
        stepLosses[1] = clf;
    }

    /**
     * The task indices of SPEC's generator-step graph and the flags between them. With M datasets:
     * [the pending classifier step] · [M library re-encodings left from the last step] · M forwards ·
     * [the fool term] · M backwards up to z · M z-encoder backwards; bracketed tasks only when there
     * are some. Every task waits only for tasks of a lower index ({@link TaskFlags}' rule).
     */
    private final class SpecGraph {
        final int datasets;
        final TaskFlags flags;
        int classifierTask; // −1: no pending classifier step this time
        int firstLibraryReencode; // −1: none pending
        int firstForward;
        int foolTask;       // −1: no adversary
        int firstBackward;
        int firstLatentBackward;
        int tasks;

        SpecGraph(int datasets) {
            this.datasets = datasets;
            this.flags = new TaskFlags(4 * datasets + 2);
        }

        // flags
        int latentReady(int m) {
            return m;
        }

        int forwardDone(int m) {
            return datasets + m;
        }

        int backwardDone(int m) {
            return 2 * datasets + m;
        }

        int classifierStepped() {
            return 3 * datasets;
        }

        int foolDone() {
            return 3 * datasets + 1;
        }

        int libraryReencoded(int m) {
            return 3 * datasets + 2 + m;
        }

        /** This step's tasks: what the last step left pending, then the generator step's. */
        void layOut() {
            int t = 0;
            classifierTask = classifierStepPending ? t++ : -1;
            firstLibraryReencode = libraryReencodePending ? t : -1;
            t += libraryReencodePending ? datasets : 0;
            firstForward = t;
            t += datasets;
            foolTask = classifier != null ? t++ : -1;
            firstBackward = t;
            t += datasets;
            firstLatentBackward = t;
            t += datasets;
            tasks = t;
            flags.nextRound();
        }
    }

    /** One task of {@link SpecGraph}; on failure every waiting task stops (see {@link TaskFlags}). */
    private void specGraphTask(int t) {
        SpecGraph g = graph;
        TaskFlags f = g.flags;
        try {
            if (t == g.classifierTask) {
                classifierStep();
                f.set(g.classifierStepped());
            } else if (t < g.firstForward) {
                int m = t - g.firstLibraryReencode;
                reencodeLibrary(m);
                f.set(g.libraryReencoded(m));
            } else if (t < g.firstForward + g.datasets) {
                int m = t - g.firstForward;
                if (g.firstLibraryReencode >= 0) {
                    f.await(g.libraryReencoded(m)); // the re-encoding still reads the loaded minibatch
                }
                load(m);
                vae.encodeLatent(m, datasetRng[m]);
                f.set(g.latentReady(m));
                vae.forwardLossFromLatent(m, datasetRng[m]);
                f.set(g.forwardDone(m));
            } else if (t == g.foolTask) {
                if (g.classifierTask >= 0) {
                    f.await(g.classifierStepped()); // the fool term reads the stepped classifier and overwrites its input
                }
                for (int m = 0; m < g.datasets; m++) {
                    f.await(g.latentReady(m));
                }
                foolTerm();
                f.set(g.foolDone());
            } else if (t < g.firstBackward + g.datasets) {
                int m = t - g.firstBackward;
                f.await(g.forwardDone(m));
                vae.backwardToLatent(m, stepScale, stepKlWeight);
                f.set(g.backwardDone(m));
            } else {
                int m = t - g.firstLatentBackward;
                f.await(g.backwardDone(m));
                if (g.foolTask >= 0) {
                    f.await(g.foolDone());
                }
                latentEncoderBackward(m);
            }
        } catch (RuntimeException | Error e) {
            f.fail(e);
            throw e;
        }
    }

    /** The graph's tasks as {@link #runTasks} runs any loop, reporting a failed task's own error rather than a waiter's. */
    private void runGraph(int tasks) {
        try {
            runTasks(tasks, specGraphTask);
        } catch (RuntimeException | Error e) {
            Throwable first = graph.flags.failure(); // a task's own error (only those are recorded)
            if (first == null || first == e) {
                throw e;
            }
            if (first instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) first;
        }
    }

    /** Runs the classifier step the last SPEC step left pending; returns its loss (0 when none was). */
    public double completePendingClassifierStep() {
        completePendingLibraryReencode();
        if (!classifierStepPending) {
            return 0;
        }
        classifierStep();
        return classifierStepDone();
    }

    /**
     * The library encoders' part of the last SPEC step's re-encoding, when still pending (the next
     * step's graph runs it otherwise): in dataset order, each followed by its running-statistics
     * commit, before anything else uses the workspaces.
     */
    private void completePendingLibraryReencode() {
        if (!libraryReencodePending) {
            return;
        }
        for (int m = 0; m < inputs.size(); m++) {
            reencodeLibrary(m);
        }
        libraryReencodePending = false;
    }

    /** Dataset m's library encoder re-run on the minibatch still loaded, then its statistics committed. */
    private void reencodeLibrary(int m) {
        vae.encodeLibrary(m, datasetRng[m]);
        vae.commitLibraryRunningStatistics(m);
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
        cursor[m] = nextMinibatchStart(m);
        int count = nextMinibatchCells(m);
        vae.loadMinibatch(m, in.counts(), in.cellBatch(), order[m], cursor[m], count, scratch[m]);
        cursor[m] += count;
    }

    /**
     * Where dataset m's next minibatch starts in its epoch order: at the cursor, or at 0 when a
     * non-driving dataset ran out within the epoch — it replays this epoch's batches in the same order
     * (PyTorch's itertools.cycle over the cached first pass, as in scvi-tools).
     */
    private int nextMinibatchStart(int m) {
        return cursor[m] >= order[m].length ? 0 : cursor[m];
    }

    /** Cells in dataset m's next minibatch (what {@link #load} will load). */
    private int nextMinibatchCells(int m) {
        return Math.min(cfg.batchSize, order[m].length - nextMinibatchStart(m));
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

    /** The z-encoder half of SPEC's re-encoding (the library half: {@link #reencodeLibrary}). */
    private void reencodeLatent(int m) {
        vae.encodeLatent(m, datasetRng[m]);
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

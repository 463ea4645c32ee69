package org.gimvi.model.methods;

import java.util.List;
import java.util.Locale;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.model.data.BatchCodes;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.GeneNameMatching;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.gimvi.TrainingHistory;
import org.gimvi.model.gimvi.TrainingListener;
import org.gimvi.model.gimvi.TrainingScheme;

/**
 * gimVI as an imputation method: scRNA-seq (ZINB, latent library) and spatial (NB, observed library)
 * trained jointly, then the rates μ = ρ·L of the target genes for every spatial cell (the observed
 * library is the spatial cell's training-gene total, so rates are already expected counts given L).
 * Named options change the training scheme, the latent size and the train split; {@link #paper2019}
 * sets them as the authors' 2019 notebooks did.
 */
public final class GimviMethod implements ImputationMethod {
    private final String name;
    private final TrainingConfig training;
    private GimviArchitecture architecture;
    private final String backend;
    private final TrainingListener listener;
    private int uncertaintySamples = 50;
    private Likelihood seqLikelihood = Likelihood.ZINB;
    private Likelihood spatialLikelihood = Likelihood.NB;
    private boolean allowNonIntegerSpatial;
    private GeneNameMatching geneNames = GeneNameMatching.IGNORE_CASE;

    /** Warm-restart rounds of the default: measured on the 10-fold protocol (README, "The default"). */
    public static final int DEFAULT_ROUNDS = 3;

    /**
     * gimVI as this project recommends it, the benchmark's method {@code gimvi}: the spec's
     * architecture and training step, κ = 5, trained in {@link #DEFAULT_ROUNDS} warm-restart rounds of
     * 200 epochs (the later rounds at full KL weight with a fresh optimiser and classifier).
     */
    public static GimviMethod defaults() {
        return defaults("gimvi", new TrainingConfig().epochs);
    }

    /** {@link #defaults()} under another name and with {@code epochs} per round. */
    public static GimviMethod defaults(String name, int epochs) {
        return new GimviMethod(name, 5f, epochs).withRounds(DEFAULT_ROUNDS);
    }

    public GimviMethod(String name, float kappa, int epochs) {
        this(name, kappa, epochs, GimviArchitecture.defaults(), "simd", TrainingListener.NONE);
    }

    public GimviMethod(String name, float kappa, int epochs, GimviArchitecture architecture, String backend,
                       TrainingListener listener) {
        this(name, trainingConfig(kappa, epochs), architecture, backend, listener);
    }

    /** @param training the training plan's settings (copied) */
    public GimviMethod(String name, TrainingConfig training, GimviArchitecture architecture, String backend,
                       TrainingListener listener) {
        training.validate();
        this.name = name;
        this.training = training.copy();
        this.architecture = architecture;
        this.backend = backend;
        this.listener = listener;
    }

    private static TrainingConfig trainingConfig(float kappa, int epochs) {
        TrainingConfig cfg = new TrainingConfig();
        cfg.kappa = kappa;
        cfg.epochs = epochs;
        return cfg;
    }

    /** The same method with another adversarial weight κ (a new instance; this one is unchanged). */
    public GimviMethod withKappa(String newName, float kappa) {
        TrainingConfig cfg = training.copy();
        cfg.kappa = kappa;
        GimviMethod m = new GimviMethod(newName, cfg, architecture, backend, listener);
        m.uncertaintySamples = uncertaintySamples;
        m.seqLikelihood = seqLikelihood;
        m.spatialLikelihood = spatialLikelihood;
        m.allowNonIntegerSpatial = allowNonIntegerSpatial;
        m.geneNames = geneNames;
        return m;
    }

    /**
     * The same method on another compute backend ({@code simd}, {@code scalar}, {@code opencl[:N]}; a new
     * instance, this one is unchanged): what {@code --device} sets.
     */
    public GimviMethod withBackend(String newBackend) {
        GimviMethod m = new GimviMethod(name, training, architecture, newBackend, listener);
        m.uncertaintySamples = uncertaintySamples;
        m.seqLikelihood = seqLikelihood;
        m.spatialLikelihood = spatialLikelihood;
        m.allowNonIntegerSpatial = allowNonIntegerSpatial;
        m.geneNames = geneNames;
        return m;
    }

    @Override
    public ImputationMethod onBackend(String newBackend) {
        return withBackend(newBackend);
    }

    /** The compute backend this method trains on. */
    public String backend() {
        return backend;
    }

    /** The adversarial weight κ this method trains with. */
    public float kappa() {
        return training.kappa;
    }

    /**
     * The authors' 2019 setup (gimvi-spec.md §12): the JVAETrainer's three-step scheme, n_latent 8
     * and 95 % of each dataset's cells for training; everything else as the current defaults
     * (their tutorial and paper used the same widths and dropout).
     */
    public GimviMethod paper2019() {
        return withScheme(TrainingScheme.PAPER2019).withLatentDimensions(8).withTrainFraction(0.95);
    }

    /** The order of optimiser steps within a training step ({@link TrainingConfig#scheme}). */
    public GimviMethod withScheme(TrainingScheme scheme) {
        training.scheme = scheme;
        training.validate();
        return this;
    }

    /** Size of the latent space (n_latent); the rest of the architecture is kept. */
    public GimviMethod withLatentDimensions(int latent) {
        GimviArchitecture a = GimviArchitecture.fromMap(architecture.toMap()); // a copy: the caller's stays as it is
        a.nLatent = latent;
        a.validate();
        this.architecture = a;
        return this;
    }

    /** Fraction of each dataset's cells used for training ({@link TrainingConfig#trainFraction}). */
    public GimviMethod withTrainFraction(double fraction) {
        training.trainFraction = fraction;
        training.validate();
        return this;
    }

    /** Epochs per round ({@link TrainingConfig#epochs}). */
    public GimviMethod withEpochs(int epochs) {
        training.epochs = epochs;
        training.validate();
        return this;
    }

    /** Warm-restart rounds of {@code epochs} each ({@link TrainingConfig#rounds}); 1 = the spec's run. */
    public GimviMethod withRounds(int rounds) {
        training.rounds = rounds;
        training.validate();
        return this;
    }

    /** Posterior draws for the per-gene uncertainty (0 or 1 switches it off). */
    public GimviMethod withUncertaintySamples(int samples) {
        this.uncertaintySamples = samples;
        return this;
    }

    /** The observation models of the reference and the spatial data (defaults ZINB and NB). */
    public GimviMethod withLikelihoods(Likelihood seq, Likelihood spatial) {
        this.seqLikelihood = seq;
        this.spatialLikelihood = spatial;
        return this;
    }

    /** Accept spatial values that are not integer counts under a count likelihood (at the user's risk). */
    public GimviMethod allowingNonIntegerSpatialValues() {
        this.allowNonIntegerSpatial = true;
        return this;
    }

    /** How the model matches the spatial genes to the reference's (default: exact, then unambiguous case). */
    public GimviMethod withGeneNames(GeneNameMatching geneNames) {
        this.geneNames = geneNames;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Builds and trains the model on a reference (all its genes) and spatial data (its panel genes,
     * all of them reference genes). A reference whose likelihood models counts gets a latent library;
     * the spatial data use their observed totals.
     */
    public Gimvi fit(CountMatrix seq, String[] seqGenes, CountMatrix spatial, String[] spatialGenes, long seed) {
        return fit(seq, seqGenes, null, spatial, spatialGenes, null, seed);
    }

    /**
     * As {@link #fit(CountMatrix, String[], CountMatrix, String[], long)}, with each dataset's batches
     * (null: one batch), e.g. several slides of one panel as batches of the spatial dataset.
     */
    public Gimvi fit(CountMatrix seq, String[] seqGenes, BatchCodes seqBatches, CountMatrix spatial,
                     String[] spatialGenes, BatchCodes spatialBatches, long seed) {
        Gimvi model = create(seq, seqGenes, seqBatches, spatial, spatialGenes, spatialBatches, seed);
        model.train(training, listener);
        return model;
    }

    private Gimvi create(CountMatrix seq, String[] seqGenes, BatchCodes seqBatches, CountMatrix spatial,
                         String[] spatialGenes, BatchCodes spatialBatches, long seed) {
        Gimvi.DatasetInput spatialInput = withBatches(Gimvi.DatasetInput.of("spatial", spatial, spatialGenes,
                spatialLikelihood, Library.OBSERVED), spatialBatches);
        Gimvi.DatasetInput seqInput = withBatches(Gimvi.DatasetInput.of("scRNA-seq", seq, seqGenes, seqLikelihood,
                seqLikelihood.countsOnly() ? Library.LATENT : Library.OBSERVED), seqBatches);
        Gimvi model = Gimvi.create(List.of(seqInput,
                allowNonIntegerSpatial ? spatialInput.allowingNonIntegerValues() : spatialInput),
                GimviOptions.defaults().withArchitecture(architecture).withBackend(backend).withGeneNames(geneNames)
                        .withSeed(seed));
        return model;
    }

    private static Gimvi.DatasetInput withBatches(Gimvi.DatasetInput d, BatchCodes b) {
        return b == null || b.count() < 2 ? d : d.withBatches(b.codes(), b.count());
    }

    /** Trains on a prepared pair: the kept reference cells with all their genes, the spatial cells' panel. */
    public Gimvi fit(ImputationPipeline.Prepared pair, long seed) {
        return fit(pair.reference(), pair.referenceGenes(), pair.spatialPanel(), pair.panel().genes(), seed);
    }

    /**
     * As {@link #fit(ImputationPipeline.Prepared, long)}, with batches of all input cells (the kept
     * cells' codes are taken from them; null: one batch).
     */
    public Gimvi fit(ImputationPipeline.Prepared pair, BatchCodes seqBatches, BatchCodes spatialBatches, long seed) {
        return fit(pair.reference(), pair.referenceGenes(),
                seqBatches == null ? null : seqBatches.select(pair.cells().referenceRows()),
                pair.spatialPanel(), pair.panel().genes(),
                spatialBatches == null ? null : spatialBatches.select(pair.cells().spatialRows()), seed);
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        return impute(task, null, null, seed);
    }

    /**
     * As {@link #impute(ImputationTask, long)}, with each dataset's batches for the task's cells (null:
     * one batch), e.g. the slides of a multi-slide spatial input.
     */
    public ImputationResult impute(ImputationTask task, BatchCodes seqBatches, BatchCodes spatialBatches, long seed) {
        List<ImputationResult> r = imputeAtCheckpoints(task, seqBatches, spatialBatches, new int[0], seed);
        return r.get(r.size() - 1);
    }

    /**
     * Imputes the task's targets after each of {@code checkpoints} (total epochs so far, ascending, each
     * below the training's total) and after the whole training, from one training run: the earlier
     * results hold predictions only; the last is {@link #impute(ImputationTask, BatchCodes, BatchCodes, long)}'s.
     * Reading the model between epochs does not change its training (posterior means: no random draws;
     * every step recomputes its workspaces).
     */
    public List<ImputationResult> imputeAtCheckpoints(ImputationTask task, BatchCodes seqBatches,
                                                      BatchCodes spatialBatches, int[] checkpoints, long seed) {
        long t0 = System.nanoTime();
        int total = training.epochs * training.rounds;
        for (int c = 0; c < checkpoints.length; c++) {
            if (checkpoints[c] < 1 || checkpoints[c] >= total || (c > 0 && checkpoints[c] <= checkpoints[c - 1])) {
                throw new IllegalArgumentException(name + ": checkpoints must rise from 1 to below the " + total
                        + " training epochs, got " + java.util.Arrays.toString(checkpoints));
            }
        }
        Gimvi model = create(task.seqCounts(), task.seqGenes(), seqBatches, task.spatialCounts(), task.spatialGenes(),
                spatialBatches, seed);
        int[] targets = task.targetColumns();
        List<ImputationResult> results = new java.util.ArrayList<>();
        model.train(training, (record, epochs) -> {
            listener.epochFinished(record, epochs);
            if (results.size() < checkpoints.length && record.epoch() + 1 == checkpoints[results.size()]) {
                results.add(ImputationResult.predictionsOnly(
                        targetsOf(model.imputedValues(1, Scale.EXPECTED_COUNTS), targets), 0, 0,
                        "after " + checkpoints[results.size()] + " epochs"));
            }
        });
        results.add(finalResult(model, task, targets, t0));
        return results;
    }

    private static FMatrixRMaj targetsOf(FMatrixRMaj rates, int[] targets) {
        int n = rates.numRows;
        FMatrixRMaj out = new FMatrixRMaj(n, targets.length);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < targets.length; t++) {
                out.data[i * targets.length + t] = rates.get(i, targets[t]);
            }
        }
        return out;
    }

    private ImputationResult finalResult(Gimvi model, ImputationTask task, int[] targets, long t0) {
        TrainingHistory history = model.history();
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        FMatrixRMaj out = targetsOf(model.imputedValues(1, Scale.EXPECTED_COUNTS), targets);
        int n = out.numRows;
        FMatrixRMaj latentSeq = model.latent(0);
        FMatrixRMaj latentSpatial = model.latent(1);
        double imputeSeconds = (System.nanoTime() - t1) / 1e9;
        // the paper's Figure 3: 50 draws of z, normalised imputations, per-gene mean of per-cell sd
        double[] uncertainty = null;
        if (uncertaintySamples > 1) {
            Gimvi.Uncertainty u = model.imputationUncertainty(1, 1, Scale.PROPORTIONS, uncertaintySamples);
            uncertainty = new double[targets.length];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < targets.length; t++) {
                    uncertainty[t] += u.std().get(i, targets[t]);
                }
            }
            for (int t = 0; t < targets.length; t++) {
                uncertainty[t] /= n;
            }
        }
        var last = history.last();
        String notes = last == null ? "" : String.format(Locale.ROOT,
                "epochs %d, classifier accuracy %.3f", history.epochs().size(), last.classifierAccuracy());
        return ImputationResult.withHistory(
                new ImputationResult(out, latentSeq, latentSpatial, trainSeconds, imputeSeconds, notes, uncertainty),
                history).withPurityReference(PurityReference.singleDatasetVae());
    }
}

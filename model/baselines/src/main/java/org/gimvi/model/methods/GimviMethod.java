package org.gimvi.model.methods;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviArchitecture;
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
 * trained jointly with the defaults, then the rates μ = ρ·L of the target genes for every spatial
 * cell (the observed library is the spatial cell's training-gene total, so rates are already expected
 * counts given L). Named options change the training scheme, the latent size and the train split;
 * {@link #paper2019} sets them as the authors' 2019 notebooks did.
 */
public final class GimviMethod implements ImputationMethod {
    private final String name;
    private final float kappa;
    private final int epochs;
    private GimviArchitecture architecture;
    private final String backend;
    private final TrainingListener listener;
    private int uncertaintySamples = 50;
    private int rounds = 1;
    private TrainingScheme scheme = TrainingScheme.SPEC;
    private double trainFraction = new TrainingConfig().trainFraction;

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
        this.scheme = scheme;
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
        this.trainFraction = fraction;
        return this;
    }

    /** Warm-restart rounds of {@code epochs} each ({@link TrainingConfig#rounds}); 1 = the spec's run. */
    public GimviMethod withRounds(int rounds) {
        this.rounds = rounds;
        return this;
    }

    /** Posterior draws for the per-gene uncertainty (0 or 1 switches it off). */
    public GimviMethod withUncertaintySamples(int samples) {
        this.uncertaintySamples = samples;
        return this;
    }

    public GimviMethod(String name, float kappa, int epochs) {
        this(name, kappa, epochs, GimviArchitecture.defaults(), "simd", TrainingListener.NONE);
    }

    public GimviMethod(String name, float kappa, int epochs, GimviArchitecture architecture, String backend,
                       TrainingListener listener) {
        this.name = name;
        this.kappa = kappa;
        this.epochs = epochs;
        this.architecture = architecture;
        this.backend = backend;
        this.listener = listener;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        Gimvi model = Gimvi.create(List.of(
                Gimvi.DatasetInput.of("scRNA-seq", task.seqCounts(), task.seqGenes(), Likelihood.ZINB, Library.LATENT),
                Gimvi.DatasetInput.of("spatial", task.spatialCounts(), task.spatialGenes(), Likelihood.NB, Library.OBSERVED)),
                GimviOptions.defaults().withArchitecture(architecture).withBackend(backend).withSeed(seed));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        cfg.kappa = kappa;
        cfg.rounds = rounds;
        cfg.scheme = scheme;
        cfg.trainFraction = trainFraction;
        TrainingHistory history = model.train(cfg, listener);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        FMatrixRMaj rates = model.imputedValues(1, Scale.EXPECTED_COUNTS);
        int[] targets = task.targetColumns();
        int n = rates.numRows;
        FMatrixRMaj out = new FMatrixRMaj(n, targets.length);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < targets.length; t++) {
                out.data[i * targets.length + t] = rates.get(i, targets[t]);
            }
        }
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
        String notes = last == null ? "" : String.format(java.util.Locale.ROOT,
                "epochs %d, classifier accuracy %.3f", history.epochs().size(), last.classifierAccuracy());
        return new ImputationResult(out, latentSeq, latentSpatial, trainSeconds, imputeSeconds, notes, uncertainty);
    }
}

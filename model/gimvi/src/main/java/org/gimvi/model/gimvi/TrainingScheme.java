package org.gimvi.model.gimvi;

import java.util.Locale;

/**
 * The order of optimiser steps within one training step (one minibatch from every dataset), and
 * how the adversarial classifier sees the step's cells.
 */
public enum TrainingScheme {
    /**
     * Current scvi-tools (gimvi-spec.md §6): one generator step on ELBO + κ·fool, then a classifier
     * step on freshly re-encoded, detached z; the classifier sees all datasets' cells in one call and
     * its Adam has the generator's weight decay.
     */
    SPEC,
    /**
     * The authors' 2019 JVAETrainer (scvi 0.4–0.6, gimvi-spec.md §12, §12a): a classifier step on the
     * sampled z with the true labels, a fool step on the same z stepped with the generator's Adam
     * (which also moves every generator parameter the fool loss does not reach, by their moments
     * alone), then a fresh forward and an ELBO step with that Adam again. The classifier is called
     * once per dataset, its losses are the sum of per-dataset means, and its Adam has no weight decay.
     */
    PAPER2019;

    /** How the classifier is called on a step's cells under this scheme. */
    ClassifierBatches classifierBatches() {
        return switch (this) {
            case SPEC -> ClassifierBatches.POOLED;
            case PAPER2019 -> ClassifierBatches.PER_DATASET;
        };
    }

    /** The classifier Adam's weight decay, given the generator's (0.6.0's discriminator Adam had none). */
    float classifierWeightDecay(float generatorWeightDecay) {
        return switch (this) {
            case SPEC -> generatorWeightDecay;
            case PAPER2019 -> 0f;
        };
    }

    /** Parses {@code spec} or {@code paper2019} (case-insensitive). */
    public static TrainingScheme parse(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT);
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown training scheme '" + s + "': use spec or paper2019");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

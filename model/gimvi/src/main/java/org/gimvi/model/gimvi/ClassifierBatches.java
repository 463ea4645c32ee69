package org.gimvi.model.gimvi;

/** How the adversarial classifier is called on the latent positions of one training step. */
public enum ClassifierBatches {
    /**
     * One call on every dataset's cells together: its BatchNorm normalises them as one minibatch, and
     * a loss is the mean over all cells (scvi-tools' current plan).
     */
    POOLED,
    /**
     * One call per dataset: its BatchNorm normalises each dataset's z with that dataset's own
     * statistics, and a loss is the sum over datasets of each dataset's mean (the 2019 JVAETrainer).
     */
    PER_DATASET
}

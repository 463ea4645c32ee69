package org.gimvi.model.gimvi;

/**
 * How a dataset's library size ℓ (log total counts of a cell) enters the model (gimvi-spec.md §3.3):
 * scRNA-seq by default has a latent library with its own encoder and a log-normal prior; spatial data
 * use the observed total of the cell's measured genes.
 */
public enum Library {
    /** ℓ is inferred by a library encoder, with a KL term against the batch's log-normal prior. */
    LATENT,
    /** ℓ = log Σ x over the dataset's genes; no encoder and no KL term. */
    OBSERVED
}

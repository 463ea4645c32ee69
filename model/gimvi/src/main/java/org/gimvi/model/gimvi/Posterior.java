package org.gimvi.model.gimvi;

/** Which latent values an output is computed from. */
public enum Posterior {
    /** Posterior means of z (and of a latent ℓ): deterministic outputs. */
    MEAN,
    /** One draw of z (and of a latent ℓ) per cell, from the model's random stream. */
    SAMPLE
}

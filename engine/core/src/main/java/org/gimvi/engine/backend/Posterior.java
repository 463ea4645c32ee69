package org.gimvi.engine.backend;

/**
 * Which value of a Gaussian posterior an output is computed from: the reparameterisation kernels
 * ({@link ComputeBackend#reparameterize}, {@link ComputeBackend#libraryReparameterize}) and every
 * model output built on them (latent positions, imputed values) take it by name.
 */
public enum Posterior {
    /** Posterior means of z (and of a latent ℓ): deterministic outputs; no noise is drawn. */
    MEAN,
    /** One draw of z (and of a latent ℓ) per cell, z = mean + σ·ε, ε from the caller's random stream. */
    SAMPLE
}

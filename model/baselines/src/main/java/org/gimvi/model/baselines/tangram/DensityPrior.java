package org.gimvi.model.baselines.tangram;

/** Tangram's {@code density_prior}: the target density d over spots of the KL term. */
public enum DensityPrior {
    /** d_j ∝ the spot's total count (Tangram's default, {@code "rna_count_based"}). */
    RNA_COUNT_BASED,
    /** d_j = 1 / spots ({@code "uniform"}). */
    UNIFORM,
    /** No density term ({@code density_prior=None}). */
    NONE
}

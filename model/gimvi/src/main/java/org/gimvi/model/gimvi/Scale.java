package org.gimvi.model.gimvi;

/** The scale of imputed values (scvi-tools' {@code normalized} flag). */
public enum Scale {
    /** ρ: decoded proportions, renormalised so the chosen dataset's genes sum to one. */
    PROPORTIONS,
    /** μ = ρ·exp(ℓ): expected counts given the cell's library (for a spatial cell, its panel total). */
    EXPECTED_COUNTS
}

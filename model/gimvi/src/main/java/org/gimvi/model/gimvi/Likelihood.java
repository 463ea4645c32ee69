package org.gimvi.model.gimvi;

import java.util.Locale;

/** Observation model of a dataset's counts. */
public enum Likelihood {
    /** Zero-inflated negative binomial (gimVI's default for scRNA-seq). */
    ZINB,
    /** Negative binomial (gimVI's default for spatial data). */
    NB,
    /** Poisson. */
    POISSON,
    /**
     * Gaussian with a variance per gene (and batch): for continuous data such as normalised values or
     * in-situ intensities, which the count likelihoods refuse.
     */
    GAUSSIAN;

    /** True for the likelihoods of raw counts (they require non-negative integers). */
    public boolean countsOnly() {
        return this != GAUSSIAN;
    }

    public static Likelihood parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown likelihood '" + s + "': use zinb, nb, poisson or gaussian");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

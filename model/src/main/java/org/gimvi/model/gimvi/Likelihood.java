package org.gimvi.model.gimvi;

import java.util.Locale;

/** Observation model of a dataset's counts. */
public enum Likelihood {
    /** Zero-inflated negative binomial (gimVI's default for scRNA-seq). */
    ZINB,
    /** Negative binomial (gimVI's default for spatial data). */
    NB,
    /** Poisson. */
    POISSON;

    public static Likelihood parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown likelihood '" + s + "': use zinb, nb or poisson");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
